package dev.bulkoffboarding.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockingTaskExecutor.TaskResult;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * Fires inbox passes on the cron schedule, and on demand. Several instances may share one
 * database: a pass runs only while holding the {@code inbox} lock in the {@code shedlock} table,
 * so one instance fires per schedule. The lock is extended while a pass goes on, and expires by
 * itself when its holder dies.
 */
@Component
@ConditionalOnWebApplication
public class InboxSchedule implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(InboxSchedule.class);

    /** Held while a pass goes on, by whichever instance runs it. */
    static final String LOCK_NAME = "inbox";

    /** Held for a while after a scheduled firing, so that one instance fires per schedule. */
    static final String SCHEDULE_LOCK_NAME = "inbox-schedule";

    private final InboxProcessor processor;

    private final ScheduleProperties properties;

    private final Clock clock;

    private final LockingTaskExecutor locks;

    private final ScheduledExecutorService lockKeepAlive;

    private final ThreadPoolTaskScheduler scheduler;

    private final AtomicBoolean passPending = new AtomicBoolean();

    private final AtomicReference<LastPass> lastPass = new AtomicReference<>();

    private volatile ScheduledFuture<?> nextPass;

    private volatile boolean running;

    InboxSchedule(InboxProcessor processor, ScheduleProperties properties, DataSource dataSource, Clock clock) {
        this.processor = processor;
        this.properties = properties;
        this.clock = clock;
        if (properties.enabled()) {
            CronExpression.parse(properties.cron()); // fail at start-up, not at two in the morning
        }
        this.lockKeepAlive = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "inbox-lock");
            thread.setDaemon(true);
            return thread;
        });
        this.locks = new DefaultLockingTaskExecutor(new KeepAliveLockProvider(new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(dataSource))
                    .withTableName("shedlock")
                    // the database's clock, so that instances whose clocks differ still agree
                    .usingDbTime()
                    .build()), this.lockKeepAlive));
        this.scheduler = new ThreadPoolTaskScheduler();
        this.scheduler.setPoolSize(1);
        this.scheduler.setThreadNamePrefix("inbox-");
        // A pass going on is left to finish its file (its run stops after its chunk), but a pass
        // merely scheduled is dropped: waiting for tonight's 02:00 would hold a stopping serve for
        // the whole await below, until the container's stop timeout killed it.
        this.scheduler.setWaitForTasksToCompleteOnShutdown(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler.setAwaitTerminationSeconds(90);
    }

    @Override
    public void start() {
        this.processor.prepare();
        this.scheduler.initialize();
        if (this.properties.enabled()) {
            this.nextPass = this.scheduler.schedule(() -> fire(true), new CronTrigger(this.properties.cron(),
                    this.properties.zoneOrDefault()));
            logger.info("Inbox: checking " + this.processor.inboxDirectory().toAbsolutePath().normalize()
                    + " on the schedule '" + this.properties.cron() + "' (" + this.properties.zoneOrDefault()
                    + "), next at " + nextScheduledPass().map(Instant::toString).orElse("never") + ".");
        }
        else {
            logger.info("Inbox: no schedule (offboarding.schedule.cron is '-'); use the manual trigger.");
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        ScheduledFuture<?> next = this.nextPass;
        if (next != null) {
            // also keeps a pass going on from scheduling the next one when it ends
            next.cancel(false);
        }
        this.scheduler.shutdown();
        this.lockKeepAlive.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        // Stop after the web server (no new triggers) and before the database goes.
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /**
     * Asks for a pass now, on the scheduler's thread.
     * @return false when a pass is already waiting or going on in this instance
     */
    public boolean triggerNow() {
        if (!this.passPending.compareAndSet(false, true)) {
            return false;
        }
        this.scheduler.execute(() -> {
            try {
                fire(false);
            }
            finally {
                this.passPending.set(false);
            }
        });
        return true;
    }

    /**
     * Runs one pass if this instance gets the lock.
     * @param scheduled a scheduled pass also takes the {@code inbox-schedule} lock and keeps it for at
     * least {@code lock-at-least-for}, so that other instances firing on the same schedule skip
     * this firing; a manual pass only waits for no other pass to be going on
     * @return whether this instance ran the pass
     */
    boolean fire(boolean scheduled) {
        Instant now = this.clock.instant();
        try {
            if (!scheduled) {
                return pass(now);
            }
            TaskResult<Boolean> firing = this.locks.executeWithLock(() -> pass(now), new LockConfiguration(now,
                    SCHEDULE_LOCK_NAME, this.properties.lockAtMostFor(), this.properties.lockAtLeastFor()));
            if (!firing.wasExecuted()) {
                skipped(now, "another instance fired this schedule");
                return false;
            }
            return firing.getResult();
        }
        catch (Throwable ex) {
            logger.error("Inbox: the pass failed: " + ex.getMessage(), ex);
            this.lastPass.set(new LastPass(now, this.clock.instant(), true, null, ex.getMessage()));
            return true;
        }
    }

    private boolean pass(Instant now) throws Throwable {
        TaskResult<InboxProcessor.Pass> result = this.locks.executeWithLock(this.processor::processInbox,
                new LockConfiguration(now, LOCK_NAME, this.properties.lockAtMostFor(), Duration.ZERO));
        if (!result.wasExecuted()) {
            skipped(now, "another instance is processing the inbox");
            return false;
        }
        this.lastPass.set(new LastPass(now, this.clock.instant(), true, result.getResult(), null));
        return true;
    }

    private void skipped(Instant now, String why) {
        logger.info("Inbox: " + why + "; this one skips the pass.");
        this.lastPass.set(new LastPass(now, this.clock.instant(), false, null, why));
    }

    /** When the schedule fires next, if it is on. */
    public Optional<Instant> nextScheduledPass() {
        if (!this.properties.enabled()) {
            return Optional.empty();
        }
        var next = CronExpression.parse(this.properties.cron()).next(this.clock.instant()
            .atZone(this.properties.zoneOrDefault()));
        return Optional.ofNullable(next).map((time) -> time.toInstant());
    }

    /** The inbox folder. */
    public java.nio.file.Path inboxDirectory() {
        return this.processor.inboxDirectory();
    }

    /** The schedule as configured. */
    public String cron() {
        return this.properties.cron();
    }

    /** The last pass this instance tried, if any. */
    public Optional<LastPass> lastPass() {
        return Optional.ofNullable(this.lastPass.get());
    }

    /** Whether a pass waits or goes on in this instance. */
    public boolean passPending() {
        return this.passPending.get();
    }

    /**
     * A pass this instance tried.
     *
     * @param startedAt when
     * @param finishedAt when it ended
     * @param ran false when another instance held the lock
     * @param result what it did, when it ran to the end
     * @param problem why it did not, when it did not
     */
    public record LastPass(Instant startedAt, Instant finishedAt, boolean ran, InboxProcessor.Pass result,
            String problem) {
    }

}
