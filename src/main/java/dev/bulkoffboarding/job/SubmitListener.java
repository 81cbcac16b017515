package dev.bulkoffboarding.job;

import java.util.List;
import java.util.stream.Collectors;

import dev.bulkoffboarding.quipteams.DeviceActionSubmitter;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Decides how a submit step that ran to its end really ended: FAILED when a row is SUBMITTED
 * without the vendor's id (whatever else happened), STOPPED after a canary (the rest is sent by
 * running the file again), FAILED while rows could not be sent yet (a restart retries them),
 * COMPLETED otherwise.
 */
class SubmitListener implements StepExecutionListener {

    static final String CANARY = "CANARY";

    /** A message names this many lines at most. */
    private static final int LINES_NAMED = 20;

    private final Ledger ledger;

    private final PendingRowReader reader;

    private final DeviceActionSubmitter submitter;

    SubmitListener(Ledger ledger, PendingRowReader reader, DeviceActionSubmitter submitter) {
        this.ledger = ledger;
        this.reader = reader;
        this.submitter = submitter;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.submitter.startRun();
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        long runId = stepExecution.getJobExecution().getJobInstanceId();
        List<Long> withoutId = this.ledger.submittedWithoutVendorId(runId, LINES_NAMED + 1);
        if (!withoutId.isEmpty()) {
            // every SUBMITTED row must carry the vendor's id: anything else is a bug or damaged data,
            // and reports, tracking and de-duplication would build on it
            stepExecution.setStatus(BatchStatus.FAILED);
            String lines = withoutId.stream().limit(LINES_NAMED).map(String::valueOf).collect(Collectors.joining(", "))
                    + ((withoutId.size() > LINES_NAMED) ? ", …" : "");
            return ExitStatus.FAILED.addExitDescription("Rows recorded as SUBMITTED without the vendor's device action "
                    + "id, at line(s) " + lines + ": check them in the vendor's dashboard; the run stays failed until "
                    + "they are corrected");
        }
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            return null;
        }
        var counts = this.ledger.countByState(runId);
        long pending = counts.get(RowState.VALID) + counts.get(RowState.SUBMITTING);
        if (this.reader.limitReached() && pending > 0) {
            stepExecution.setStatus(BatchStatus.STOPPED);
            return new ExitStatus(CANARY, "canary done: " + pending + " rows are left; run the file again to send them");
        }
        long held = counts.get(RowState.HELD);
        long failed = counts.get(RowState.FAILED) + counts.get(RowState.SUBMITTING);
        if (held > 0) {
            // Another run has these devices: this run is not finished until that one is.
            stepExecution.setStatus(BatchStatus.FAILED);
            return ExitStatus.FAILED.addExitDescription(held + " device(s) were not sent because other runs are "
                    + "still handling them (the lines below): finish those runs, then run the same command again"
                    + ((failed > 0) ? "; " + failed + " other row(s) could not be sent yet" : ""));
        }
        if (failed > 0) {
            stepExecution.setStatus(BatchStatus.FAILED);
            return ExitStatus.FAILED.addExitDescription(
                    failed + " row(s) could not be sent yet: run the same command again to retry them");
        }
        return null;
    }

}
