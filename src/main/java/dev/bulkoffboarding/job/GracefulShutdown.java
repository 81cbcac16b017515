package dev.bulkoffboarding.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
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
 * run then ends by itself with its summary and exit code 1). In serve, no command waits for its run
 * to end: the signal closes the application itself, which stops the jobs through {@link #stop()},
 * and the process exits 0. Closing the context without a signal (tests) stops jobs the same way.
 */
@Component
class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

    private static final Log logger = LogFactory.getLog(GracefulShutdown.class);

    private static final Duration GRACE = Duration.ofSeconds(60);

    private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();

    private final Map<String, SignalHandler> previousHandlers = new ConcurrentHashMap<>();

    private final JobOperator jobOperator;

    private final ApplicationContext context;

    private final AtomicBoolean closing = new AtomicBoolean();

    private volatile boolean started;

    GracefulShutdown(JobOperator jobOperator, ApplicationContext context) {
        this.jobOperator = jobOperator;
        this.context = context;
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
        if (serving() && this.context instanceof ConfigurableApplicationContext application) {
            closeAndExit(application, signal);
            return;
        }
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

    /**
     * Closes serve in the context's own order before the JVM's shutdown hooks run: runs stop after
     * their chunk (this bean stops first), then the web server finishes its requests, the inbox
     * schedule drops its next pass, and the database closes last. Left to the hooks, Spring's close
     * and H2's would run side by side. A stop that was asked for is a clean end, hence exit 0: systemd,
     * for one, counts the JVM's usual 143 as a failure.
     */
    private void closeAndExit(ConfigurableApplicationContext application, Signal signal) {
        if (!this.closing.compareAndSet(false, true)) {
            // A second Ctrl-C while closing: as with the JVM's own handler, the first stop goes on.
            return;
        }
        logger.info("Stopping (SIG" + signal.getName() + ").");
        int exitCode = ExitCodes.OK;
        try {
            application.close();
        }
        catch (RuntimeException ex) {
            logger.error("Could not stop cleanly: " + ex.getMessage(), ex);
            exitCode = ExitCodes.FAILED;
        }
        Runtime.getRuntime().exit(exitCode);
    }

    /** serve: the only mode with a web server, and the one whose main thread does not wait for runs. */
    private boolean serving() {
        return this.context instanceof WebServerApplicationContext;
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
                + (serving() ? "with Restart on its page once serve is back." : "by running the same command again."));
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
