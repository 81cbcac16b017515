package dev.bulkoffboarding.job;

import java.util.Optional;

import dev.bulkoffboarding.rows.LedgerRow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Proves, before each chunk of the submit step sends anything, that this process still owns the
 * run. The run's lock is taken once when the run starts; on PostgreSQL it lives as long as one
 * database session, and a session can end under a live run (terminated by an administrator, a
 * database restart, a network cut). From then on another process may take the run over and send
 * the same rows: this one must stop before its next request, leaving the rows it has not sent yet
 * pending for whoever resumes the run.
 */
class RunOwnershipCheck implements ChunkListener<LedgerRow, LedgerRow> {

    private static final Log logger = LogFactory.getLog(RunOwnershipCheck.class);

    private final RunLocks locks;

    RunOwnershipCheck(RunLocks locks) {
        this.locks = locks;
    }

    @Override
    public void beforeChunk(Chunk<LedgerRow> chunk) {
        // The step is a singleton shared by concurrent runs (serve): the run is the current step's.
        StepContext context = StepSynchronizationManager.getContext();
        if (context == null) {
            throw new IllegalStateException("The submit step's chunk runs outside of its step");
        }
        JobExecution execution = context.getStepExecution().getJobExecution();
        String runKey = RunIdentity.of(execution.getJobParameters()).lockKey(execution.getJobInstance().getJobName());
        Optional<String> lost = this.locks.ownershipLost(runKey);
        if (lost.isPresent()) {
            String message = "Run " + execution.getJobInstanceId() + " stopped before sending more: this process no "
                    + "longer owns it (" + lost.get() + "), so another process could take it over. Rows not sent "
                    + "yet stay pending: run the same command again to resume.";
            logger.error(message);
            throw new RunStoppedException(message, null);
        }
    }

}
