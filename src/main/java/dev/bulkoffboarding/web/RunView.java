package dev.bulkoffboarding.web;

import java.time.Instant;
import java.util.Map;

import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.RunRecord;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A run as the review UI and the REST API show it.
 *
 * @param runId the run's id
 * @param kind RUN, or VALIDATE for a preflight
 * @param fileName the input file's name
 * @param fileSha256 its SHA-256
 * @param label the label of a deliberate re-run
 * @param trigger CLI, SCHEDULE or UPLOAD
 * @param sandbox whether requests went to the built-in sandbox
 * @param status the job's status
 * @param exitCode the CLI's exit code for this run
 * @param startedAt when its last execution started
 * @param finishedAt when that ended
 * @param totalRecords CSV records read
 * @param outcomes rows per outcome
 * @param actionTypes valid rows per action type
 * @param wipes rows that wipe a device
 * @param newRecipients rows that hand a device to someone new
 * @param message why it stopped or failed, when it did
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record RunView(long runId, String kind, String fileName, String fileSha256, String label, String trigger,
        boolean sandbox, String status, int exitCode, Instant startedAt, Instant finishedAt, long totalRecords,
        Map<String, Long> outcomes, Map<String, Long> actionTypes, long wipes, long newRecipients, String message) {

    static RunView of(RunRecord run, RunSummary summary) {
        return new RunView(summary.runId(), summary.kind(), summary.fileName(), summary.fileSha256(), summary.label(),
                run.trigger(), summary.sandbox(), summary.status(), summary.exitCode(), summary.startedAt(),
                summary.finishedAt(), summary.totalRecords(), summary.outcomes(), summary.actionTypes(),
                summary.wipes(), summary.newRecipients(), summary.message());
    }

    long count(String outcome) {
        return this.outcomes.getOrDefault(outcome, 0L);
    }

    /** Rows a person has to look at. */
    public long needAttention() {
        return count("INVALID") + count("DUPLICATE") + count("REJECTED");
    }

    /** Rows a restart would still work on. */
    public long toRetry() {
        return count("FAILED") + count("SUBMITTING");
    }

    public boolean running() {
        return "STARTING".equals(this.status) || "STARTED".equals(this.status) || "STOPPING".equals(this.status);
    }

    /** Whether an operator may restart it (the run service decides for good). */
    public boolean restartable() {
        return "RUN".equals(this.kind) && !running() && !("COMPLETED".equals(this.status) && this.exitCode != 1);
    }

}
