package dev.bulkoffboarding.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Whole-file checks before the first irreversible call: conflicting actions for one device,
 * duplicates, devices an earlier run already handled, the share of invalid rows ("this looks
 * like the wrong file") and, last, the number of wipes the operator confirmed. The row checks run
 * once per run; the ratio and the wipes are checked on every attempt until they pass, so a restart
 * with a higher {@code offboarding.max-invalid-ratio}, or with the confirmed number, can proceed.
 */
class GateTasklet implements Tasklet {

    static final String REFUSED = "REFUSED";

    static final String REFUSAL_KEY = "gate.refusal";

    /** Set while the run waits for the operator to confirm this many wipes. */
    static final String WIPES_TO_CONFIRM_KEY = "gate.wipes-to-confirm";

    /** Set once the wipes of the run were confirmed; restarts only send fewer, so they do not ask again. */
    static final String WIPES_CONFIRMED_KEY = "gate.wipes-confirmed";

    private static final Log logger = LogFactory.getLog(GateTasklet.class);

    private final Ledger ledger;

    private final OffboardingProperties properties;

    private final boolean dedup;

    private final Clock clock;

    private final WipeConfirmation wipeConfirmation;

    GateTasklet(Ledger ledger, OffboardingProperties properties, boolean dedup, Clock clock,
            WipeConfirmation wipeConfirmation) {
        this.ledger = ledger;
        this.properties = properties;
        this.dedup = dedup;
        this.clock = clock;
        this.wipeConfirmation = wipeConfirmation;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        long runId = step.getJobExecution().getJobInstanceId();
        RunRecord run = this.ledger.findRun(runId).orElseThrow();
        if (run.gatedAt() == null) {
            DeviceChecks checks = new DeviceChecks(this.ledger, runId);
            this.ledger.forEachDeviceRow(runId, checks);
            checks.finish();
            if (checks.conflictingDevices() > 0) {
                logger.info(checks.conflictingDevices()
                        + " device(s) have conflicting actions; their rows will not be sent");
            }
            if (checks.duplicateRows() > 0) {
                logger.info(checks.duplicateRows() + " duplicate row(s) will not be sent");
            }
            if (this.dedup && run.kind() == RunRecord.RunKind.RUN) {
                markAlreadySubmitted(runId);
            }
            this.ledger.markGated(runId, this.clock.instant());
        }
        Map<RowState, Long> counts = this.ledger.countByState(runId);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long invalid = counts.get(RowState.INVALID);
        double ratio = (total == 0) ? 0 : (double) invalid / total;
        if (ratio > this.properties.maxInvalidRatio()) {
            String refusal = String.format(Locale.ROOT,
                    "%d of %d rows (%.0f %%) are invalid, more than the %.0f %% allowed: this looks like the wrong "
                            + "file, so nothing was sent. Fix the rows in failures.csv, or raise "
                            + "offboarding.max-invalid-ratio if the file is right.",
                    invalid, total, ratio * 100, this.properties.maxInvalidRatio() * 100);
            refuse(step, contribution, refusal);
            return RepeatStatus.FINISHED;
        }
        ExecutionContext context = step.getJobExecution().getExecutionContext();
        context.remove(REFUSAL_KEY);
        context.remove(WIPES_TO_CONFIRM_KEY);
        if (run.kind() == RunRecord.RunKind.RUN) {
            Ledger.Pending pending = this.ledger.countPending(runId);
            String unconfirmed = checkWipes(pending.wipes(), context);
            if (unconfirmed != null) {
                refuse(step, contribution, unconfirmed);
                return RepeatStatus.FINISHED;
            }
            logger.info("Run " + runId + " sends " + pending.rows() + " device action(s): " + pending.wipes()
                    + " wipe(s), " + pending.newRecipients() + " to new recipients");
        }
        return RepeatStatus.FINISHED;
    }

    private static void refuse(StepExecution step, StepContribution contribution, String refusal) {
        step.getJobExecution().getExecutionContext().putString(REFUSAL_KEY, refusal);
        contribution.setExitStatus(new ExitStatus(REFUSED, refusal));
    }

    /**
     * The last check before the first request: the number of wipes still to send must be the one
     * the operator confirmed (see {@link WipeConfirmation}).
     *
     * @param wipes the wipes this run would still send
     * @return why the run must not go on, or {@code null} when it may
     */
    private String checkWipes(long wipes, ExecutionContext context) {
        if (context.containsKey(WIPES_CONFIRMED_KEY)) {
            return null;
        }
        Long expected = this.wipeConfirmation.expected();
        if (expected != null && expected != wipes) {
            context.putLong(WIPES_TO_CONFIRM_KEY, wipes);
            return String.format(Locale.ROOT, "--confirm-wipes %d does not match the %d wipe(s) this run would send: "
                    + "nothing was sent. Check the file (validate lists every row), then run it again with "
                    + "--confirm-wipes %d.", expected, wipes, wipes);
        }
        if (expected != null) {
            context.putString(WIPES_CONFIRMED_KEY, wipes + " confirmed by the operator");
            return null;
        }
        if (wipes == 0) {
            return null;
        }
        if (this.wipeConfirmation.implicitly() != null) {
            logger.info(wipes + " wipe(s) confirmed implicitly: " + this.wipeConfirmation.implicitly());
            context.putString(WIPES_CONFIRMED_KEY,
                    wipes + " confirmed implicitly: " + this.wipeConfirmation.implicitly());
            return null;
        }
        if (!this.properties.wipes().requireConfirmation()) {
            context.putString(WIPES_CONFIRMED_KEY, wipes + " sent without confirmation "
                    + "(offboarding.wipes.require-confirmation=false)");
            return null;
        }
        context.putLong(WIPES_TO_CONFIRM_KEY, wipes);
        return String.format(Locale.ROOT, "This run would wipe %d device(s), and a wipe cannot be undone: nothing was "
                + "sent. Check the rows (validate lists them), then confirm the number: run it again with "
                + "--confirm-wipes %d (scheduled imports: offboarding.wipes.require-confirmation=false).", wipes,
                wipes);
    }

    private void markAlreadySubmitted(long runId) {
        Instant since = this.clock.instant().minus(this.properties.dedupWindow());
        List<Ledger.PreviousSubmission> previous = new ArrayList<>();
        long[] lastLine = { -1 };
        this.ledger.forEachAlreadySubmitted(runId, since, (submission) -> {
            if (submission.line() != lastLine[0]) {
                previous.add(submission);
                lastLine[0] = submission.line();
            }
        });
        if (!previous.isEmpty()) {
            logger.info(previous.size() + " row(s) were already submitted by an earlier run and will not be sent "
                    + "again (use --no-dedup to override)");
            this.ledger.markAlreadySubmitted(runId, previous);
        }
    }

}
