package dev.bulkoffboarding.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Whole-file checks before the first irreversible call: conflicting actions for one device,
 * duplicates, devices an earlier run already handled, and the share of invalid rows ("this looks
 * like the wrong file"). The row checks run once per run; the ratio is checked on every attempt,
 * so a restart with a higher {@code offboarding.max-invalid-ratio} can proceed.
 */
class GateTasklet implements Tasklet {

    static final String REFUSED = "REFUSED";

    static final String REFUSAL_KEY = "gate.refusal";

    private static final Log logger = LogFactory.getLog(GateTasklet.class);

    private static final int LINES_NAMED = 10;

    private final Ledger ledger;

    private final OffboardingProperties properties;

    private final boolean dedup;

    private final Clock clock;

    GateTasklet(Ledger ledger, OffboardingProperties properties, boolean dedup, Clock clock) {
        this.ledger = ledger;
        this.properties = properties;
        this.dedup = dedup;
        this.clock = clock;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        long runId = step.getJobExecution().getJobInstanceId();
        RunRecord run = this.ledger.findRun(runId).orElseThrow();
        if (run.gatedAt() == null) {
            markConflicts(runId);
            int duplicates = this.ledger.markDuplicates(runId);
            if (duplicates > 0) {
                logger.info(duplicates + " duplicate row(s) will not be sent");
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
            step.getJobExecution().getExecutionContext().putString(REFUSAL_KEY, refusal);
            contribution.setExitStatus(new ExitStatus(REFUSED, refusal));
        }
        else {
            step.getJobExecution().getExecutionContext().remove(REFUSAL_KEY);
        }
        return RepeatStatus.FINISHED;
    }

    private void markConflicts(long runId) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String serialKey : this.ledger.conflictingDevices(runId)) {
            List<Map.Entry<Long, String>> lines = this.ledger.linesForDevice(runId, serialKey, LINES_NAMED);
            String named = lines.stream()
                .map((line) -> "line " + line.getKey() + " " + line.getValue())
                .collect(Collectors.joining(", "));
            reasons.put(serialKey, "conflicting actions for one device (" + named
                    + (lines.size() == LINES_NAMED ? ", ..." : "") + "): keep one line per device");
        }
        if (!reasons.isEmpty()) {
            logger.info(reasons.size() + " device(s) have conflicting actions; their rows will not be sent");
            this.ledger.markDevicesInvalid(runId, reasons);
        }
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
