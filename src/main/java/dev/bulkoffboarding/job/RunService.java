package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.InputFileException;
import dev.bulkoffboarding.input.InputOptions;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way runs are started, restarted and looked up: the CLI, the scheduler and the web UI all
 * come through here. It identifies a run by the file's SHA-256 (plus an optional label), refuses
 * to repeat a completed run, resumes a failed or stopped one, and recovers an execution left
 * STARTED by a killed process once it can prove that process is gone (it holds the run's lock).
 */
@Service
public class RunService {

    private static final Log logger = LogFactory.getLog(RunService.class);

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final Job offboardingJob;

    private final Job validationJob;

    private final Ledger ledger;

    private final RunSummaries summaries;

    private final OffboardingProperties properties;

    private final RunLocks locks;

    private final Clock clock;

    private final BatchMetadata batchMetadata;

    private final TransactionTemplate transaction;

    RunService(JobOperator jobOperator, JobRepository jobRepository,
            // built when a run starts: validate, runs and report never need its HTTP client
            @Lazy @Qualifier("offboardingJob") Job offboardingJob,
            @Qualifier("validationJob") Job validationJob, Ledger ledger, RunSummaries summaries,
            OffboardingProperties properties, RunLocks locks, Clock clock, BatchMetadata batchMetadata,
            PlatformTransactionManager transactionManager) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.offboardingJob = offboardingJob;
        this.validationJob = validationJob;
        this.ledger = ledger;
        this.summaries = summaries;
        this.properties = properties;
        this.locks = locks;
        this.clock = clock;
        this.batchMetadata = batchMetadata;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Runs (or resumes) a file: stage, gate, submit, report. */
    public RunResult run(RunRequest request) {
        return run(request, null);
    }

    private RunResult run(RunRequest request, RunRecord resumed) {
        Preflight preflight = preflight(request.file());
        if (preflight.problem() != null) {
            return RunResult.refused(ExitCodes.USAGE, preflight.problem());
        }
        if (resumed != null && !resumed.fileSha256().equals(preflight.sha256())) {
            // A run is its file's content: another content under the same path would be another
            // run, started by a command that asked to resume this one.
            return RunResult.refused(ExitCodes.USAGE, request.file() + " has changed since run " + resumed.id()
                    + " started from it: nothing was sent. Put the original file back to resume run " + resumed.id()
                    + ", or use 'run' to run the file as it is now.");
        }
        String label = request.label();
        if (request.rerun() && label == null) {
            label = "rerun " + DateTimeFormatter.ISO_INSTANT.format(this.clock.instant());
        }
        JobParametersBuilder identity = new JobParametersBuilder().addString(RunParameters.SHA256, preflight.sha256());
        if (label != null) {
            identity.addString(RunParameters.LABEL, label);
        }
        JobParameters identifying = identity.toJobParameters();
        Optional<RunLocks.Lock> lock = this.locks.tryAcquire(runKey(OffboardingJobConfiguration.OFFBOARDING_JOB, identifying));
        if (lock.isEmpty()) {
            return RunResult.refused(ExitCodes.FAILED, "This file is being run by another process right now: nothing "
                    + "was sent by this one. Wait for it to finish, then look at 'runs'.");
        }
        try (RunLocks.Lock held = lock.get()) {
            JobInstance instance = this.jobRepository.getJobInstance(OffboardingJobConfiguration.OFFBOARDING_JOB, identifying);
            if (instance != null) {
                JobExecution last = this.jobRepository.getLastJobExecution(instance);
                if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                    long earlier = instance.getInstanceId();
                    String where = this.ledger.findRun(earlier).isPresent() ? " (see 'report " + earlier + "')"
                            : ", whose records were pruned at the end of their retention period";
                    return RunResult.refused(ExitCodes.USAGE, "This file was already run completely as run " + earlier
                            + where + ". Nothing was sent again. Use --rerun to run it once more on purpose.");
                }
                recoverIfStale(last);
            }
            JobParametersBuilder parameters = new JobParametersBuilder(identifying)
                .addString(RunParameters.FILE, request.file().toAbsolutePath().toString(), false)
                .addString(RunParameters.TRIGGER, request.trigger().name(), false)
                .addString(RunParameters.DEDUP, Boolean.toString(request.dedup()), false)
                .addLong(RunParameters.CANARY, (request.canary() == null) ? -1L : request.canary(), false)
                .addLong(RunParameters.CONFIRMED_WIPES,
                        (request.wipes().expected() == null) ? -1L : request.wipes().expected(), false);
            if (request.wipes().implicitly() != null) {
                parameters.addString(RunParameters.WIPES_CONFIRMED_IMPLICITLY, request.wipes().implicitly(), false);
            }
            return launch(this.offboardingJob, parameters.toJobParameters(), preflight.warnings());
        }
    }

    /** Stages and gates a file without sending anything. Each validation is a run of its own. */
    public RunResult validate(Path file) {
        Preflight preflight = preflight(file);
        if (preflight.problem() != null) {
            return RunResult.refused(ExitCodes.USAGE, preflight.problem());
        }
        JobParameters parameters = new JobParametersBuilder().addString(RunParameters.SHA256, preflight.sha256())
            .addString(RunParameters.REQUESTED_AT, this.clock.instant().toString())
            .addString(RunParameters.FILE, file.toAbsolutePath().toString(), false)
            .addString(RunParameters.TRIGGER, Trigger.CLI.name(), false)
            .toJobParameters();
        return launch(this.validationJob, parameters, preflight.warnings());
    }

    /** Resumes a run by its id, from wherever its file now is (the stored path). */
    public RunResult restart(long runId) {
        return restart(runId, WipeConfirmation.none());
    }

    /** Resumes a run by its id, with what the operator confirmed about its wipes. */
    public RunResult restart(long runId, WipeConfirmation wipes) {
        RunRecord run = this.ledger.findRun(runId).orElse(null);
        JobInstance instance = (run == null) ? null : this.jobRepository.getJobInstance(runId);
        if (run == null || instance == null || run.kind() != RunRecord.RunKind.RUN) {
            return RunResult.refused(ExitCodes.USAGE, "There is no run " + runId + " (see 'runs').");
        }
        JobExecution last = this.jobRepository.getLastJobExecution(instance);
        String file = last.getJobParameters().getString(RunParameters.FILE);
        return run(RunRequest.of(Path.of(file))
            .withLabel(run.label())
            .withDedup(!"false".equals(last.getJobParameters().getString(RunParameters.DEDUP)))
            .withWipes(wipes), run);
    }

    /** The most recent runs, newest first. */
    public List<RunOverview> runs(int limit) {
        List<RunOverview> overviews = new ArrayList<>();
        for (RunRecord run : this.ledger.runs(RunRecord.RunKind.RUN, limit)) {
            summary(run.id()).ifPresent((summary) -> overviews.add(new RunOverview(run, summary)));
        }
        return overviews;
    }

    /** A run's summary as of its last execution. */
    public Optional<RunSummary> summary(long runId) {
        return this.ledger.findRun(runId).flatMap((run) -> {
            JobInstance instance = this.jobRepository.getJobInstance(runId);
            JobExecution last = (instance == null) ? null : this.jobRepository.getLastJobExecution(instance);
            return (last == null) ? Optional.empty() : Optional.of(this.summaries.summarise(run, last));
        });
    }

    /**
     * Retention: deletes the rows, the run record and the reports of every run (and validation)
     * whose last activity is older than {@code olderThan}, and the personal parts of its Spring
     * Batch metadata (see {@link BatchMetadata}). A run that is still going is left alone.
     *
     * @param olderThan the retention period; at least {@code offboarding.dedup-window}, because the
     * rows a run submitted are what keeps the next cumulative export from sending them again
     * @param dryRun only say what would be pruned
     * @throws IllegalArgumentException if {@code olderThan} is shorter than the de-duplication window
     */
    public PruneResult prune(Duration olderThan, boolean dryRun) {
        if (olderThan.compareTo(this.properties.dedupWindow()) < 0) {
            throw new IllegalArgumentException("--older-than " + describe(olderThan) + " is shorter than "
                    + "offboarding.dedup-window (" + describe(this.properties.dedupWindow()) + "): pruning runs that "
                    + "recent would let the next cumulative export send their rows again. Keep at least "
                    + describe(this.properties.dedupWindow()) + ".");
        }
        Instant cutoff = this.clock.instant().minus(olderThan);
        List<Long> pruned = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (RunRecord run : this.ledger.runsCreatedBefore(cutoff)) {
            JobInstance instance = this.jobRepository.getJobInstance(run.id());
            JobExecution last = (instance == null) ? null : this.jobRepository.getLastJobExecution(instance);
            if (last != null && lastActivity(last).isAfter(cutoff)) {
                continue;
            }
            Optional<RunLocks.Lock> lock = Optional.empty();
            if (last != null && last.getStatus().isRunning()) {
                // Owned by a live process, or left STARTED by a killed one: only the run's lock tells.
                lock = (run.kind() == RunRecord.RunKind.RUN) ? this.locks.tryAcquire(runKey(
                        OffboardingJobConfiguration.OFFBOARDING_JOB, last.getJobParameters())) : Optional.of(() -> {
                        });
                if (lock.isEmpty()) {
                    kept.add("run " + run.id() + " is running right now");
                    continue;
                }
            }
            try {
                if (!dryRun) {
                    deleteReports(run.id());
                    boolean completedRun = run.kind() == RunRecord.RunKind.RUN && last != null
                            && last.getStatus() == BatchStatus.COMPLETED;
                    this.transaction.executeWithoutResult((status) -> {
                        this.batchMetadata.prune(run.id(), completedRun);
                        this.ledger.deleteRun(run.id());
                    });
                }
                pruned.add(run.id());
            }
            finally {
                lock.ifPresent(RunLocks.Lock::close);
            }
        }
        return new PruneResult(cutoff, pruned, kept, dryRun);
    }

    private static Instant lastActivity(JobExecution execution) {
        LocalDateTime last = (execution.getLastUpdated() != null) ? execution.getLastUpdated()
                : (execution.getEndTime() != null) ? execution.getEndTime() : execution.getCreateTime();
        return last.atZone(ZoneId.systemDefault()).toInstant();
    }

    /** Deletes a run's report folder first: if anything fails later, the run is still there to prune again. */
    private void deleteReports(long runId) {
        Path directory = reportDirectory(runId);
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not delete the reports of run " + runId + " in " + directory, ex);
        }
    }

    private static String describe(Duration duration) {
        return (duration.toHours() % 24 == 0) ? duration.toDays() + "d" : duration.toString();
    }

    public Path reportDirectory(long runId) {
        return this.properties.reportsDir().resolve(Long.toString(runId));
    }

    private RunResult launch(Job job, JobParameters parameters, List<String> warnings) {
        JobExecution execution;
        try {
            execution = this.jobOperator.start(job, parameters);
        }
        catch (Exception ex) {
            return RunResult.refused(ExitCodes.FAILED, "The run could not start: " + ex.getMessage());
        }
        long runId = execution.getJobInstanceId();
        RunRecord run = this.ledger.findRun(runId).orElseThrow();
        RunSummary summary = this.summaries.summarise(run, execution);
        int exitCode = inputProblem(execution) ? ExitCodes.USAGE : summary.exitCode();
        return new RunResult(exitCode, summary, summary.message(), reportDirectory(runId), warnings,
                RunSummaries.wipesToConfirm(execution));
    }

    private static boolean inputProblem(JobExecution execution) {
        for (Throwable failure : execution.getAllFailureExceptions()) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof InputFileException) {
                    return true;
                }
            }
        }
        return false;
    }

    private void recoverIfStale(JobExecution last) {
        if (last != null && last.getStatus().isRunning()) {
            // We hold the run's lock, so no live process owns this execution: it was killed.
            logger.warn("Run " + last.getJobInstanceId() + " was left " + last.getStatus() + " by a process that "
                    + "no longer runs; recovering it so that it can resume.");
            this.jobOperator.recover(last);
        }
    }

    private Preflight preflight(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return new Preflight(null, List.of(), "Cannot read " + file + ": no such file, or not readable.");
        }
        InputOptions options = this.properties.input().options();
        List<String> warnings;
        // The whole file is parsed once before any run exists, streaming: a structural problem or a
        // broken limit anywhere in it (an unclosed quote on line 900,000, a row of 10,000 cells, one
        // record too many) refuses the file with its line, instead of failing a run half-way through
        // staging. Values are not validated here: invalid rows are data, reported by the run.
        try (CsvInput csv = CsvInput.open(file, options)) {
            while (csv.hasNext()) {
                csv.next();
            }
            warnings = List.copyOf(csv.warnings());
        }
        catch (InputFileException ex) {
            return new Preflight(null, List.of(), ex.getMessage());
        }
        catch (Exception ex) {
            return new Preflight(null, List.of(), "Cannot read " + file + ": " + ex.getMessage());
        }
        try {
            return new Preflight(sha256(file), warnings, null);
        }
        catch (IOException ex) {
            return new Preflight(null, List.of(), "Cannot read " + file + ": " + ex.getMessage());
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) != -1) {
                // digesting
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String runKey(String job, JobParameters identifying) {
        return job + "|" + identifying.getString(RunParameters.SHA256) + "|"
                + Optional.ofNullable(identifying.getString(RunParameters.LABEL)).orElse("");
    }

    private record Preflight(String sha256, List<String> warnings, String problem) {
    }

    /**
     * What to run, and how.
     *
     * @param wipes what the operator confirmed about the wipes the run will send
     */
    public record RunRequest(Path file, String label, boolean rerun, boolean dedup, Long canary, Trigger trigger,
            WipeConfirmation wipes) {

        public RunRequest {
            trigger = (trigger != null) ? trigger : Trigger.CLI;
            wipes = (wipes != null) ? wipes : WipeConfirmation.none();
        }

        /**
         * Running {@code file} from the command line: resumed if its run failed or stopped, refused
         * if it completed; de-duplicated; every valid row; no wipes confirmed yet.
         */
        public static RunRequest of(Path file) {
            return new RunRequest(file, null, false, true, null, Trigger.CLI, WipeConfirmation.none());
        }

        /** This request as a separate run of the same file, named {@code label}. */
        public RunRequest withLabel(String label) {
            return new RunRequest(this.file, label, this.rerun, this.dedup, this.canary, this.trigger, this.wipes);
        }

        /** This request running a completed file once more on purpose ({@code --rerun}). */
        public RunRequest asRerun() {
            return new RunRequest(this.file, this.label, true, this.dedup, this.canary, this.trigger, this.wipes);
        }

        /** This request with or without cross-run de-duplication ({@code --no-dedup}). */
        public RunRequest withDedup(boolean dedup) {
            return new RunRequest(this.file, this.label, this.rerun, dedup, this.canary, this.trigger, this.wipes);
        }

        /** This request sending only the first {@code rows} valid rows ({@code --canary}); null for all. */
        public RunRequest withCanary(Long rows) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, rows, this.trigger, this.wipes);
        }

        /** This request started by {@code trigger}. */
        public RunRequest triggeredBy(Trigger trigger) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, this.canary, trigger, this.wipes);
        }

        /** This request with another wipe confirmation. */
        public RunRequest withWipes(WipeConfirmation confirmation) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, this.canary, this.trigger,
                    confirmation);
        }

    }

    /**
     * What {@link #prune(Duration, boolean)} did.
     *
     * @param cutoff runs whose last activity was before this were pruned
     * @param pruned the ids of the runs pruned (or that would be, in a dry run)
     * @param kept why old runs were left alone
     * @param dryRun whether nothing was deleted
     */
    public record PruneResult(Instant cutoff, List<Long> pruned, List<String> kept, boolean dryRun) {
    }

    /** A run as listed by {@code runs}. */
    public record RunOverview(RunRecord run, RunSummary summary) {
    }

    /**
     * The result of a command: its exit code, the run's summary (absent when the run did not start)
     * and a message for the operator.
     *
     * @param wipesToConfirm when the run stopped before sending because its wipes were not
     * confirmed: how many it would send (run it again confirming that number); otherwise {@code null}
     */
    public record RunResult(int exitCode, RunSummary summary, String message, Path reportDirectory,
            List<String> warnings, Long wipesToConfirm) {

        public RunResult(int exitCode, RunSummary summary, String message, Path reportDirectory,
                List<String> warnings) {
            this(exitCode, summary, message, reportDirectory, warnings, null);
        }

        static RunResult refused(int exitCode, String message) {
            return new RunResult(exitCode, null, message, null, List.of());
        }

    }

}
