package dev.bulkoffboarding.job;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.rows.LedgerRow;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The stage step's reader: reads and validates the file on a thread of its own, a few batches
 * ahead of the step's thread, which only writes to the ledger. Parsing and validating take about
 * half as long as the ledger's inserts (docs/benchmarks.md), so on two cores they overlap with the
 * inserts instead of adding to them.
 * The rows keep their order; a failure of the file (bad input) reaches the step from the next
 * {@link #read()}, the same exception as before. Staging keeps no restart state (an interrupted
 * stage starts over), so reading ahead loses nothing.
 */
class StagedRowReader implements ItemStreamReader<LedgerRow> {

    private static final int BATCH = 500;

    /** Batches read ahead: memory stays bounded whatever the size of the file. */
    private static final int BATCHES_AHEAD = 8;

    private final CsvRecordReader records;

    private final StagingProcessor processor;

    private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);

    private Thread worker;

    private volatile boolean closed;

    private Iterator<LedgerRow> current = List.<LedgerRow>of().iterator();

    private boolean finished;

    StagedRowReader(CsvRecordReader records, StagingProcessor processor) {
        this.records = records;
        this.processor = processor;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        // the file is opened (and its header read) here, on the step's thread: a bad header fails at once
        this.records.open(executionContext);
        this.closed = false;
        this.worker = new Thread(this::readAhead, "stage-reader");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public LedgerRow read() throws InterruptedException {
        while (!this.current.hasNext()) {
            if (this.finished) {
                return null;
            }
            Batch batch = this.batches.take();
            if (batch.failure() instanceof Error error) {
                this.finished = true;
                throw error;
            }
            if (batch.failure() != null) {
                this.finished = true;
                throw (RuntimeException) batch.failure();
            }
            this.finished = batch.last();
            this.current = batch.rows().iterator();
        }
        return this.current.next();
    }

    /** The input's own header cells. */
    List<String> headers() {
        return this.records.headers();
    }

    @Override
    public void close() {
        this.closed = true;
        if (this.worker != null) {
            this.worker.interrupt();
            try {
                this.worker.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.worker = null;
        }
        this.batches.clear();
        this.records.close();
    }

    private void readAhead() {
        try {
            List<LedgerRow> rows = new ArrayList<>(BATCH);
            CsvRecord record;
            while (!this.closed && (record = this.records.read()) != null) {
                rows.add(this.processor.process(record));
                if (rows.size() == BATCH) {
                    this.batches.put(new Batch(rows, false, null));
                    rows = new ArrayList<>(BATCH);
                }
            }
            this.batches.put(new Batch(rows, true, null));
        }
        catch (InterruptedException ex) {
            // closed by the step: nobody waits for more rows
        }
        catch (RuntimeException | Error ex) {
            try {
                this.batches.put(new Batch(List.of(), true, ex));
            }
            catch (InterruptedException interrupted) {
                // closed by the step
            }
        }
    }

    /** Rows read ahead, or the end of the file, or why reading failed (a RuntimeException or an Error). */
    private record Batch(List<LedgerRow> rows, boolean last, Throwable failure) {
    }

}
