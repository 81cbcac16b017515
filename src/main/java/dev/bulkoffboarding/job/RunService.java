package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.bulkoffboarding.input.InputFileException;
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

/**
 * The one way runs are started, restarted and looked up: the CLI, the scheduler and the web UI all
 * come through here. It identifies a run by the file's SHA-256 (plus an optional label, see
 * {@link RunIdentity}), refuses to repeat a completed run, resumes a failed or stopped one, and
 * recovers an execution left STARTED by a killed process once it can prove that process is gone
 * (it holds the run's lock). A file must pass the {@link RunPrechecks} before any run of it
 * exists; retention is {@link RunRetention}'s.
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

    private final RunPrechecks prechecks;

    RunService(JobOperator jobOperator, JobRepository jobRepository,
            // built when a run starts: validate, runs and report never need its HTTP client
            @Lazy @Qualifier("offboardingJob") Job offboardingJob,
            @Qualifier("validationJob") Job validationJob, Ledger ledger, RunSummaries summaries,
            OffboardingProperties properties, RunLocks locks, Clock clock) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.offboardingJob = offboardingJob;
        this.validationJob = validationJob;
        this.ledger = ledger;
        this.summaries = summaries;
        this.properties = properties;
        this.locks = locks;
        this.clock = clock;
        this.prechecks = new RunPrechecks(properties);
    }

    /** Runs (or resumes) a file: stage, gate, submit, report. */
    public RunResult run(RunRequest request) {
        return run(request, null);
    }

    private RunResult run(RunRequest request, RunRecord resumed) {
        RunPrechecks.Result checked = this.prechecks.check(request.file());
        if (checked.problem() != null) {
            return RunResult.refused(ExitCodes.USAGE, checked.problem());
        }
        if (resumed != null && !resumed.fileSha256().equals(checked.sha256())) {
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
        RunIdentity identity = new RunIdentity(checked.sha256(), label);
        JobParameters identifying = identity.toJobParameters();
        Optional<RunLocks.Lock> lock = this.locks.tryAcquire(identity.lockKey(OffboardingJobConfiguration.OFFBOARDING_JOB));
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
                .addString(RunParameters.PREFLIGHT, Boolean.toString(this.properties.preflight().enabled()), false)
                .addLong(RunParameters.CONFIRMED_WIPES,
                        (request.wipes().expected() == null) ? -1L : request.wipes().expected(), false);
            if (request.wipes().implicitly() != null) {
                parameters.addString(RunParameters.WIPES_CONFIRMED_IMPLICITLY, request.wipes().implicitly(), false);
            }
            if (request.startedBy() != null) {
                parameters.addString(RunParameters.STARTED_BY, request.startedBy(), false);
            }
            return launch(this.offboardingJob, parameters.toJobParameters(), checked.warnings());
        }
    }

    /** Stages and gates a file without sending anything. Each validation is a run of its own. */
    public RunResult validate(Path file) {
        return validate(file, false);
    }

    /**
     * Stages and gates a file without sending anything; {@code online} also checks its devices
     * with the vendor (GETs only). Each validation is a run of its own.
     */
    public RunResult validate(Path file, boolean online) {
        RunPrechecks.Result checked = this.prechecks.check(file);
        if (checked.problem() != null) {
            return RunResult.refused(ExitCodes.USAGE, checked.problem());
        }
        JobParameters parameters = new JobParametersBuilder().addString(RunParameters.SHA256, checked.sha256())
            .addString(RunParameters.REQUESTED_AT, this.clock.instant().toString())
            .addString(RunParameters.FILE, file.toAbsolutePath().toString(), false)
            .addString(RunParameters.TRIGGER, Trigger.CLI.name(), false)
            .addString(RunParameters.PREFLIGHT, Boolean.toString(online), false)
            .toJobParameters();
        return launch(this.validationJob, parameters, checked.warnings());
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

    /** Where a run's reports are (results, failures, summary). */
    public Path reportDirectory(long runId) {
        return this.properties.reportDirectory(runId);
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

    /**
     * What to run, and how.
     *
     * @param wipes what the operator confirmed about the wipes the run will send
     */
    public record RunRequest(Path file, String label, boolean rerun, boolean dedup, Long canary, Trigger trigger,
            WipeConfirmation wipes, String startedBy) {

        public RunRequest {
            trigger = (trigger != null) ? trigger : Trigger.CLI;
            wipes = (wipes != null) ? wipes : WipeConfirmation.none();
        }

        /**
         * Running {@code file} from the command line: resumed if its run failed or stopped, refused
         * if it completed; de-duplicated; every valid row; no wipes confirmed yet.
         */
        public static RunRequest of(Path file) {
            return new RunRequest(file, null, false, true, null, Trigger.CLI, WipeConfirmation.none(), null);
        }

        /** This request as a separate run of the same file, named {@code label}. */
        public RunRequest withLabel(String label) {
            return new RunRequest(this.file, label, this.rerun, this.dedup, this.canary, this.trigger, this.wipes,
                    this.startedBy);
        }

        /** This request running a completed file once more on purpose ({@code --rerun}). */
        public RunRequest asRerun() {
            return new RunRequest(this.file, this.label, true, this.dedup, this.canary, this.trigger, this.wipes,
                    this.startedBy);
        }

        /** This request with or without cross-run de-duplication ({@code --no-dedup}). */
        public RunRequest withDedup(boolean dedup) {
            return new RunRequest(this.file, this.label, this.rerun, dedup, this.canary, this.trigger, this.wipes,
                    this.startedBy);
        }

        /** This request sending only the first {@code rows} valid rows ({@code --canary}); null for all. */
        public RunRequest withCanary(Long rows) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, rows, this.trigger, this.wipes,
                    this.startedBy);
        }

        /** This request started by {@code trigger}. */
        public RunRequest triggeredBy(Trigger trigger) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, this.canary, trigger, this.wipes,
                    this.startedBy);
        }

        /** This request with another wipe confirmation. */
        public RunRequest withWipes(WipeConfirmation confirmation) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, this.canary, this.trigger,
                    confirmation, this.startedBy);
        }

        /**
         * This request started by {@code user}: the logged-in user of an upload, the account of a
         * command line. Recorded with the run (a job parameter) for its evidence.
         */
        public RunRequest startedBy(String user) {
            return new RunRequest(this.file, this.label, this.rerun, this.dedup, this.canary, this.trigger, this.wipes,
                    (user == null || user.isBlank()) ? null : user.strip());
        }

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
