package dev.bulkoffboarding.report;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a run did, in numbers: written as {@code summary.json} and printed on the console.
 *
 * @param runId the run (Spring Batch job instance) id
 * @param kind RUN or VALIDATE
 * @param fileName the input file's name
 * @param fileSha256 the input's SHA-256, which identifies the run
 * @param label the optional label of a deliberate re-run
 * @param sandbox whether requests went to the built-in sandbox instead of Quipteams
 * @param status the job's status (COMPLETED, FAILED, STOPPED, ...)
 * @param exitCode the exit code the CLI returns for this run
 * @param startedAt when the last execution started
 * @param finishedAt when it ended
 * @param durationSeconds its length
 * @param totalRecords CSV records read
 * @param outcomes rows per state
 * @param actionTypes valid rows per action type
 * @param wipes rows that request a wipe (still to send, or sent)
 * @param newRecipients rows that hand a device to a new recipient
 * @param message why the run stopped or failed, when it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(@JsonProperty("run_id") long runId, String kind, @JsonProperty("file_name") String fileName,
        @JsonProperty("file_sha256") String fileSha256, String label, boolean sandbox, String status,
        @JsonProperty("exit_code") int exitCode, @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt, @JsonProperty("duration_seconds") Double durationSeconds,
        @JsonProperty("total_records") long totalRecords, Map<String, Long> outcomes,
        @JsonProperty("action_types") Map<String, Long> actionTypes, long wipes,
        @JsonProperty("new_recipients") long newRecipients, String message) {

    /** Printed in reports and on the console when nothing was sent to Quipteams. */
    public static final String SANDBOX_NOTICE = "SANDBOX — nothing was sent to Quipteams";

    @JsonProperty("notice")
    public String notice() {
        return this.sandbox ? SANDBOX_NOTICE : null;
    }

    public long count(String state) {
        return this.outcomes.getOrDefault(state, 0L);
    }

}
