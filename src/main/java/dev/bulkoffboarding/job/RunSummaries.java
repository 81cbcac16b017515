package dev.bulkoffboarding.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Builds a run's {@link RunSummary} from the ledger and its last execution. */
@Component
public class RunSummaries {

    private final Ledger ledger;

    private final JdbcTemplate jdbc;

    RunSummaries(Ledger ledger, JdbcTemplate jdbc) {
        this.ledger = ledger;
        this.jdbc = jdbc;
    }

    RunSummary summarise(RunRecord run, JobExecution execution) {
        Map<RowState, Long> counts = this.ledger.countByState(run.id());
        Map<String, Long> outcomes = new LinkedHashMap<>();
        counts.forEach((state, count) -> outcomes.put(state.name(), count));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();

        Map<String, Long> actionTypes = new LinkedHashMap<>();
        this.jdbc.query("select action_type, count(*) from offboarding_row where run_id = ? and state not in "
                + "('INVALID', 'DUPLICATE') and action_type is not null group by action_type order by action_type",
                (java.sql.ResultSet rs) -> {
                    actionTypes.put(rs.getString(1), rs.getLong(2));
                }, run.id());
        long wipes = countSendable(run.id(), "wipe = true");
        long newRecipients = countSendable(run.id(), "has_recipient = true");

        BatchStatus status = execution.getStatus();
        boolean canary = execution.getStepExecutions().stream()
            .anyMatch((step) -> SubmitListener.CANARY.equals(step.getExitStatus().getExitCode()));
        // Unconfirmed wipes stop a run like a usage error: nothing was done, the command needs a number.
        int exitCode = (wipesToConfirm(execution) != null) ? ExitCodes.USAGE
                : ExitCodes.forRun(run.kind(), status, counts, refusal(execution) != null, canary);
        Instant started = instant(execution.getStartTime());
        Instant finished = instant(execution.getEndTime());
        if (finished == null && status != BatchStatus.STARTED) {
            finished = Instant.now();
        }
        Double seconds = (started != null && finished != null)
                ? Duration.between(started, finished).toMillis() / 1000.0 : null;
        return new RunSummary(run.id(), run.kind().name(), run.fileName(), run.fileSha256(), run.label(),
                run.sandbox(), status.name(), exitCode, started, finished, seconds, total, outcomes, actionTypes,
                wipes, newRecipients, message(execution));
    }

    private long countSendable(long runId, String condition) {
        Long count = this.jdbc.queryForObject("select count(*) from offboarding_row where run_id = ? and state not in "
                + "('INVALID', 'DUPLICATE', 'ALREADY_SUBMITTED', 'REJECTED') and " + condition, Long.class, runId);
        return (count == null) ? 0 : count;
    }

    /** How many wipes the run waits to have confirmed before it sends anything, or {@code null}. */
    static Long wipesToConfirm(JobExecution execution) {
        return execution.getExecutionContext().containsKey(GateTasklet.WIPES_TO_CONFIRM_KEY)
                ? execution.getExecutionContext().getLong(GateTasklet.WIPES_TO_CONFIRM_KEY) : null;
    }

    static String refusal(JobExecution execution) {
        return execution.getExecutionContext().containsKey(GateTasklet.REFUSAL_KEY)
                ? execution.getExecutionContext().getString(GateTasklet.REFUSAL_KEY) : null;
    }

    /** Why the run did not complete, in the operator's words; {@code null} when it did. */
    static String message(JobExecution execution) {
        String refusal = refusal(execution);
        if (refusal != null) {
            return refusal;
        }
        for (Throwable failure : execution.getAllFailureExceptions()) {
            Throwable cause = failure;
            while (cause != null) {
                if (cause instanceof RunStoppedException || cause instanceof dev.bulkoffboarding.input.InputFileException) {
                    return cause.getMessage();
                }
                cause = cause.getCause();
            }
        }
        for (var step : execution.getStepExecutions()) {
            String description = step.getExitStatus().getExitDescription();
            if (step.getStatus() != BatchStatus.COMPLETED && description != null && !description.isBlank()
                    && step.getFailureExceptions().isEmpty()) {
                return description;
            }
        }
        if (!execution.getAllFailureExceptions().isEmpty()) {
            Throwable first = execution.getAllFailureExceptions().get(0);
            return first.getClass().getSimpleName() + ": " + first.getMessage();
        }
        return null;
    }

    private static Instant instant(LocalDateTime time) {
        return (time == null) ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

}
