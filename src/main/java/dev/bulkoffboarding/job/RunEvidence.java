package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.bulkoffboarding.report.EvidenceWriter;
import dev.bulkoffboarding.report.EvidenceWriter.RunFacts;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;
import dev.bulkoffboarding.tracking.TrackedActions;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

/**
 * Writes a run's {@code evidence.csv} ({@code report RUN_ID --evidence}, and the download on the
 * run page) from what was recorded: the run record (trigger, label), the run's job parameters (who
 * started it), the gate's note of how the wipes were confirmed, and tracking (each status with its
 * time). Nothing is asked of the vendor: run {@code track} first for the latest state.
 */
@Component
public class RunEvidence {

    /** The name of the file in the run's report folder. */
    public static final String FILE_NAME = "evidence.csv";

    private final Ledger ledger;

    private final JobRepository jobRepository;

    private final TrackedActions trackedActions;

    private final OffboardingProperties properties;

    RunEvidence(Ledger ledger, JobRepository jobRepository, TrackedActions trackedActions,
            OffboardingProperties properties) {
        this.ledger = ledger;
        this.jobRepository = jobRepository;
        this.trackedActions = trackedActions;
        this.properties = properties;
    }

    /**
     * Writes {@code reports/<run-id>/evidence.csv}.
     *
     * @return the file, or empty when there is no such run (a validation is no run: it sent nothing)
     */
    public Optional<Path> write(long runId) {
        Optional<RunRecord> found = this.ledger.findRun(runId);
        if (found.isEmpty() || found.get().kind() != RunRecord.RunKind.RUN) {
            return Optional.empty();
        }
        RunRecord run = found.get();
        JobInstance instance = this.jobRepository.getJobInstance(runId);
        JobExecution last = (instance == null) ? null : this.jobRepository.getLastJobExecution(instance);
        List<JobExecution> executions = (instance == null) ? List.of() : this.jobRepository.getJobExecutions(instance);
        // the first execution started the run; restarts are not who started it
        JobExecution first = executions.stream().min(Comparator.comparingLong(JobExecution::getId)).orElse(last);
        RunFacts facts = new RunFacts(startedBy(run, first), wipesConfirmed(last));
        Path file = this.properties.reportsDir().resolve(Long.toString(runId)).resolve(FILE_NAME);
        return Optional.of(EvidenceWriter.write(file, facts, this.trackedActions.forRun(runId),
                this.trackedActions.events(runId)));
    }

    /** "UPLOAD by otto", "CLI by jane (label: march leavers)", "SCHEDULE". */
    static String startedBy(RunRecord run, JobExecution first) {
        StringBuilder who = new StringBuilder(run.trigger());
        String user = (first == null) ? null : first.getJobParameters().getString(RunParameters.STARTED_BY);
        if (user != null && !user.isBlank()) {
            who.append(" by ").append(user);
        }
        if (run.label() != null) {
            who.append(" (label: ").append(run.label()).append(')');
        }
        return who.toString();
    }

    /**
     * How the run's wipes were confirmed, as the gate recorded it before the first request: by the
     * operator's number, implicitly (the demo, against the sandbox), or without confirmation
     * (scheduled imports with {@code offboarding.wipes.require-confirmation=false}). Restarts
     * carry the note over from the execution that confirmed.
     */
    static String wipesConfirmed(JobExecution last) {
        if (last == null) {
            return "not recorded";
        }
        ExecutionContext context = last.getExecutionContext();
        if (context.containsKey(GateTasklet.WIPES_CONFIRMED_KEY)) {
            return context.getString(GateTasklet.WIPES_CONFIRMED_KEY);
        }
        JobParameters parameters = last.getJobParameters();
        Long expected = parameters.getLong(RunParameters.CONFIRMED_WIPES);
        if (expected != null && expected >= 0) {
            return expected + " expected by the operator (--confirm-wipes or typed)";
        }
        return "not recorded";
    }

}
