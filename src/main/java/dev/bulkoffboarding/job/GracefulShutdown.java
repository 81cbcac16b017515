package dev.bulkoffboarding.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import sun.misc.Signal;
import sun.misc.SignalHandler;
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
 * ends STOPPED and can be resumed.
 * <p>
 * It catches SIGTERM and SIGINT itself rather than relying on shutdown hooks: JVM shutdown hooks
 * run concurrently, and H2's own hook would close the database under a chunk that is still
 * recording outcomes. Only once the jobs have stopped does the JVM's usual shutdown proceed (a CLI
 * run then ends by itself with its summary and exit code 1). Closing the context without a signal
 * (serve mode, tests) stops jobs through {@link #stop()}.
 */
@Component
class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

    private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

    private static final Duration GRACE = Duration.ofSeconds(60);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();

    private final Map<String, SignalHandler> previousHandlers = new ConcurrentHashMap<>();

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
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, this::onSignal);
                this.previousHandlers.put(name, previous);
            }
            catch (IllegalArgumentException ex) {
                // The signal is not available on this platform (or is reserved): shutdown hooks only.
            }
        }
    }

    private void onSignal(Signal signal) {
        if (!this.running.isEmpty()) {
            stopRunningJobs();
            // A CLI run ends by itself once its job has stopped; give it a moment to print and exit.
            sleep(Duration.ofSeconds(5));
        }
        SignalHandler previous = this.previousHandlers.get(signal.getName());
        if (previous != null && previous != SignalHandler.SIG_IGN && previous != SignalHandler.SIG_DFL) {
            previous.handle(signal);
        }
        else {
            // The JVM's default: shut down as if no handler had been installed (exit 128 + signal).
            Runtime.getRuntime().exit(128 + signal.getNumber());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        this.started = false;
        stopRunningJobs();
    }

    private void stopRunningJobs() {
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
        while (!this.running.isEmpty() && Instant.now().isBefore(deadline) && !Thread.currentThread().isInterrupted()) {
            sleep(Duration.ofMillis(100));
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
