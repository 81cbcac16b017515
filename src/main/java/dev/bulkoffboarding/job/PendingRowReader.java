package dev.bulkoffboarding.job;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;

import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the rows a submit step still has to work on (VALID, SUBMITTING, FAILED), in line order,
 * page by page with a key on the line number. It keeps no restart state on purpose: the ledger's
 * row states are the restart state, so a restart simply reads what is not final yet.
 */
class PendingRowReader implements ItemReader<LedgerRow> {

    private final Ledger ledger;

    private final long runId;

    private final int pageSize;

    private final long limit;

    private final Deque<LedgerRow> page = new ArrayDeque<>();

    private long lastLine = 0;

    private long handedOut = 0;

    private boolean exhausted;

    /**
     * @param limit the most rows to hand out (a canary run), or a negative number for all
     */
    PendingRowReader(Ledger ledger, long runId, int pageSize, long limit) {
        this.ledger = ledger;
        this.runId = runId;
        this.pageSize = pageSize;
        this.limit = limit;
    }

    @Override
    public LedgerRow read() {
        if (this.limit >= 0 && this.handedOut >= this.limit) {
            return null;
        }
        if (this.page.isEmpty() && !this.exhausted) {
            var next = this.ledger.pendingAfter(this.runId, this.lastLine, this.pageSize);
            this.page.addAll(next);
            this.exhausted = next.size() < this.pageSize;
        }
        LedgerRow row = this.page.poll();
        if (row != null) {
            this.lastLine = row.line();
            this.handedOut++;
        }
        return row;
    }

    boolean limitReached() {
        return this.limit >= 0 && this.handedOut >= this.limit;
    }

}
