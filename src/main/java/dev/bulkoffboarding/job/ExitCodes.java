package dev.bulkoffboarding.job;

import java.util.Map;

import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;

import org.springframework.batch.core.BatchStatus;

/**
 * The exit codes, each asking the operator for one thing:
 * <ul>
 * <li>0: done, every row submitted (for validate: every row valid);</li>
 * <li>1: the run failed or some rows could not be sent yet; run the same command again;</li>
 * <li>2: usage error, unreadable file, missing column, a broken input limit, or wipes whose number
 * was not confirmed; nothing was sent;</li>
 * <li>3: finished, but some rows need a person (INVALID, DUPLICATE, REJECTED: see failures.csv), or
 * the file was refused as probably the wrong one.</li>
 * </ul>
 */
public final class ExitCodes {

    public static final int OK = 0;

    public static final int FAILED = 1;

    public static final int USAGE = 2;

    public static final int NEEDS_ATTENTION = 3;

    private ExitCodes() {
    }

    static int forRun(RunRecord.RunKind kind, BatchStatus status, Map<RowState, Long> counts, boolean refused,
            boolean canary) {
        if (refused) {
            return NEEDS_ATTENTION;
        }
        if (status == BatchStatus.STOPPED && !canary) {
            // Stopped by a signal: the rest is sent by running the same command again.
            return FAILED;
        }
        if (status == BatchStatus.FAILED || status == BatchStatus.ABANDONED || status == BatchStatus.UNKNOWN
                || status.isRunning()) {
            return FAILED;
        }
        if (counts.get(RowState.FAILED) > 0 || counts.get(RowState.HELD) > 0
                || (kind == RunRecord.RunKind.RUN && counts.get(RowState.SUBMITTING) > 0)) {
            return FAILED;
        }
        boolean attention = RowState.NEEDING_ATTENTION.stream().anyMatch((state) -> counts.get(state) > 0);
        return attention ? NEEDS_ATTENTION : OK;
    }

}
