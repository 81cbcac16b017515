package dev.bulkoffboarding.job;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

/** Builds a run's {@link RunSummary} from the ledger and its last execution. */
@Component
public class RunSummaries {

    /** Rows that were or will be sent: what the wipe and new-recipient figures count. */
    private static final Set<RowState> SENDABLE = EnumSet.complementOf(
            EnumSet.of(RowState.INVALID, RowState.DUPLICATE, RowState.ALREADY_SUBMITTED, RowState.REJECTED,
                    RowState.UNCONFIRMED, RowState.NOT_IN_INVENTORY, RowState.OPEN_ACTION_EXISTS));

    private final Ledger ledger;

    RunSummaries(Ledger ledger) {
        this.ledger = ledger;
    }

    RunSummary summarise(RunRecord run, JobExecution execution) {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        for (RowState state : RowState.values()) {
            counts.put(state, 0L);
        }
        Map<String, Long> actionTypes = new TreeMap<>();
        long wipes = 0;
        long newRecipients = 0;
        for (Ledger.RowCount count : this.ledger.countRows(run.id())) {
            counts.merge(count.state(), count.count(), Long::sum);
            if (count.actionType() != null) {
                actionTypes.merge(count.actionType(), count.count(), Long::sum);
            }
            if (SENDABLE.contains(count.state())) {
                wipes += count.wipe() ? count.count() : 0;
                newRecipients += count.newRecipient() ? count.count() : 0;
            }
        }
        Map<String, Long> outcomes = new LinkedHashMap<>();
        counts.forEach((state, count) -> outcomes.put(state.name(), count));
        long total = counts.values().stream().mapToLong(Long::longValue).sum();

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
