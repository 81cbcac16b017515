package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention ({@code runs prune}): forgets runs whose last activity is older than a period, with
 * their rows, reports and the personal parts of their Spring Batch metadata. It never prunes
 * within the de-duplication window, and never a run that a live process owns.
 */
@Service
public class RunRetention {

    private final JobRepository jobRepository;

    private final Ledger ledger;

    private final OffboardingProperties properties;

    private final RunLocks locks;

    private final Clock clock;

    private final BatchMetadata batchMetadata;

    private final TransactionTemplate transaction;

    RunRetention(JobRepository jobRepository, Ledger ledger, OffboardingProperties properties, RunLocks locks,
            Clock clock, BatchMetadata batchMetadata, PlatformTransactionManager transactionManager) {
        this.jobRepository = jobRepository;
        this.ledger = ledger;
        this.properties = properties;
        this.locks = locks;
        this.clock = clock;
        this.batchMetadata = batchMetadata;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /**
     * Deletes the rows, the run record and the reports of every run (and validation) whose last
     * activity is older than {@code olderThan}, and the personal parts of its Spring Batch metadata
     * (see {@link BatchMetadata}). A run that is still going is left alone.
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
                lock = (run.kind() == RunRecord.RunKind.RUN) ? this.locks.tryAcquire(
                        RunIdentity.of(last.getJobParameters()).lockKey(OffboardingJobConfiguration.OFFBOARDING_JOB))
                        : Optional.of(() -> {
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
        Path directory = this.properties.reportDirectory(runId);
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

}
