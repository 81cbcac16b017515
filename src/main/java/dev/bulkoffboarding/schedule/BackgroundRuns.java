package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.bulkoffboarding.job.RunIdentity;
import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.job.Trigger;
import dev.bulkoffboarding.job.WipeConfirmation;
import dev.bulkoffboarding.mail.RunNotifier;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs started by {@code serve} (upload, restart, inbox), all through {@link RunService}: in the
 * background for the web, so a request does not wait hours for the vendor; each run's summary is
 * e-mailed and counted in the metrics when it ends.
 *
 * <p>It lives beside the inbox rather than in {@code job}: restarting a run that came from the
 * inbox settles the inbox file (see {@link InboxFolder}), and the e-mails, metrics and background
 * threads are {@code serve}'s alone. In {@code job} it would make the batch wiring depend on the
 * inbox; {@code web} calling it here keeps the arrows pointing inward.
 */
@Component
@ConditionalOnWebApplication
public class BackgroundRuns implements DisposableBean {

    private static final Log logger = LogFactory.getLog(BackgroundRuns.class);

    private final RunService runs;

    private final Ledger ledger;

    private final RunLookup lookup;

    private final InboxLog inboxLog;

    private final InboxFolder inbox;

    private final RunNotifier notifier;

    private final MeterRegistry meters;

    private final ThreadPoolTaskExecutor executor;

    BackgroundRuns(RunService runs, Ledger ledger, RunLookup lookup, InboxLog inboxLog, InboxFolder inbox,
            RunNotifier notifier, MeterRegistry meters) {
        this.runs = runs;
        this.ledger = ledger;
        this.lookup = lookup;
        this.inboxLog = inboxLog;
        this.inbox = inbox;
        this.notifier = notifier;
        this.meters = meters;
        this.executor = new ThreadPoolTaskExecutor();
        this.executor.setThreadNamePrefix("run-");
        // Runs share one API key's budget: more of them at once would not finish sooner.
        this.executor.setCorePoolSize(2);
        this.executor.setMaxPoolSize(2);
        this.executor.setWaitForTasksToCompleteOnShutdown(true);
        this.executor.setAwaitTerminationSeconds(90);
        this.executor.initialize();
    }

    /** Starts a run of an uploaded file in the background. */
    public Launch start(Path file, String label, WipeConfirmation wipes) {
        return start(file, label, wipes, null);
    }

    /** Starts a run of an uploaded file in the background, recording the user who uploaded it. */
    public Launch start(Path file, String label, WipeConfirmation wipes, String user) {
        RunIdentity identity = identity(file, label);
        RunRequest request = RunRequest.of(file)
            .withLabel(label)
            .triggeredBy(Trigger.UPLOAD)
            .withWipes(wipes)
            .startedBy(user);
        return launch(this.lookup.runOf(identity), () -> this.lookup.runOf(identity),
                () -> this.runs.run(request), Trigger.UPLOAD.name(), (result) -> {
                });
    }

    /**
     * Resumes a failed or stopped run in the background. A run that came from the inbox is resumed
     * from where its file is now ({@code failed/}), and the file moves on to {@code archive/} once
     * the run completes.
     */
    public Launch restart(long runId) {
        Optional<InboxFile> inboxFile = this.inboxLog.failedFileOfRun(runId)
            .filter((file) -> Files.isRegularFile(Path.of(file.currentPath())));
        Optional<RunRecord> run = this.ledger.findRun(runId);
        if (inboxFile.isPresent() && run.isPresent()) {
            RunRequest request = RunRequest.of(Path.of(inboxFile.get().currentPath()))
                .withLabel(run.get().label())
                .triggeredBy(Trigger.SCHEDULE);
            return launch(Optional.of(runId), () -> Optional.of(runId), () -> this.runs.run(request),
                    Trigger.SCHEDULE.name(),
                    (result) -> this.inbox.settleRestarted(inboxFile.get(), result));
        }
        String trigger = run.map(RunRecord::trigger).orElse(Trigger.UPLOAD.name());
        return launch(Optional.of(runId), () -> Optional.of(runId), () -> this.runs.restart(runId), trigger,
                (result) -> {
                });
    }

    /** The completed run of this content (without a label), if there is one: running it again is refused. */
    public Optional<RunSummary> completedRunOf(String sha256) {
        return this.lookup.runOf(new RunIdentity(sha256, null))
            .flatMap(this.runs::summary)
            .filter((summary) -> "COMPLETED".equals(summary.status()));
    }

    /** Runs a file on the caller's thread (the inbox's), then mails and counts it. */
    RunResult runNow(RunRequest request, Optional<Long> knownRun) {
        Map<RowState, Long> before = countsBefore(knownRun);
        RunResult result = this.runs.run(request);
        finished(result, request.trigger().name(), before);
        return result;
    }

    private Launch launch(Optional<Long> knownRun, Supplier<Optional<Long>> runId, Supplier<RunResult> work,
            String trigger, Consumer<RunResult> after) {
        long executionsBefore = knownRun.map(this.lookup::executions).orElse(0L);
        Map<RowState, Long> before = countsBefore(knownRun);
        CompletableFuture<RunResult> result = CompletableFuture.supplyAsync(() -> {
            try {
                RunResult done = work.get();
                finished(done, trigger, before);
                after.accept(done);
                return done;
            }
            catch (RuntimeException ex) {
                logger.error("A run started from the review UI failed to run: " + ex.getMessage(), ex);
                throw ex;
            }
        }, this.executor);
        return new Launch(result, runId, () -> runId.get().map(this.lookup::executions).orElse(0L), executionsBefore);
    }

    private Map<RowState, Long> countsBefore(Optional<Long> knownRun) {
        return knownRun.map(this.ledger::countByState).orElseGet(() -> new EnumMap<>(RowState.class));
    }

    private void finished(RunResult result, String trigger, Map<RowState, Long> before) {
        RunSummary summary = result.summary();
        if (summary == null) {
            return;
        }
        Counter.builder("offboarding.runs")
            .description("Runs that serve started and that ended, by trigger and status")
            .tag("trigger", trigger)
            .tag("status", summary.status())
            .register(this.meters)
            .increment();
        for (Map.Entry<String, Long> outcome : summary.outcomes().entrySet()) {
            // A restart only adds what changed since the run's earlier executions.
            long added = outcome.getValue() - before.getOrDefault(RowState.valueOf(outcome.getKey()), 0L);
            if (added > 0) {
                Counter.builder("offboarding.rows")
                    .description("Rows that reached an outcome in runs that serve started")
                    .tag("outcome", outcome.getKey())
                    .register(this.meters)
                    .increment(added);
            }
        }
        this.notifier.runFinished(summary, trigger);
    }

    private static RunIdentity identity(Path file, String label) {
        try {
            return RunIdentity.of(file, label);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }

    /** Waits for runs in progress; GracefulShutdown has asked them to stop after their chunk. */
    @Override
    public void destroy() {
        this.executor.shutdown();
    }

}
