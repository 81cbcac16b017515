package dev.bulkoffboarding.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops running jobs cleanly when the process is asked to end (Ctrl-C, SIGTERM, a container
 * stop): the current chunk finishes, so requests in flight are answered and recorded, then the run
 * ends STOPPED and can be resumed. It runs before the database and the HTTP client are closed.
 */
@Component
class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

    private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

    private static final Duration GRACE = Duration.ofSeconds(60);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();

    private final JobOperator jobOperator;

    private volatile boolean started;

    GracefulShutdown(JobOperator jobOperator) {
        this.jobOperator = jobOperator;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        this.running.add(jobExecution);
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        this.running.remove(jobExecution);
    }

    @Override
    public void start() {
        this.started = true;
    }

    @Override
    public void stop() {
        this.started = false;
        if (this.running.isEmpty()) {
            return;
        }
        logger.warn("Stopping: letting the requests in flight finish and recording them; the run can be resumed "
                + "by running the same command again.");
        for (JobExecution execution : this.running) {
            try {
                this.jobOperator.stop(execution);
            }
            catch (Exception ex) {
                logger.warn("Could not stop run " + execution.getJobInstanceId() + ": " + ex.getMessage());
            }
        }
        Instant deadline = Instant.now().plus(GRACE);
        while (!this.running.isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.started;
    }

    @Override
    public int getPhase() {
        // Stop late among lifecycle beans started early, i.e. before anything a job depends on.
        return Integer.MAX_VALUE;
    }

}
