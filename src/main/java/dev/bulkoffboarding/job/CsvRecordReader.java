package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.util.List;

import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.input.InputOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the input's records for the stage step. It keeps no restart state: an interrupted stage
 * starts over (the ledger forgets what it staged), which is cheap and never sends anything.
 */
class CsvRecordReader implements ItemStreamReader<CsvRecord> {

    private static final Log logger = LogFactory.getLog(CsvRecordReader.class);

    private final Path file;

    private final InputOptions options;

    private CsvInput input;

    CsvRecordReader(Path file, InputOptions options) {
        this.file = file;
        this.options = options;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        this.input = CsvInput.open(this.file, this.options);
        this.input.warnings().forEach((warning) -> logger.warn(warning));
    }

    @Override
    public CsvRecord read() {
        return this.input.hasNext() ? this.input.next() : null;
    }

    List<String> headers() {
        return this.input.headers();
    }

    @Override
    public void close() {
        if (this.input != null) {
            this.input.close();
        }
    }

}
