package dev.bulkoffboarding.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import dev.bulkoffboarding.tracking.Tracker;
import dev.bulkoffboarding.tracking.Tracker.Refresh;
import dev.bulkoffboarding.tracking.TrackingProperties;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockingTaskExecutor.TaskResult;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
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
 * serve's scheduled tracking refresh ({@code offboarding.tracking.cron}, "-" for never): every run
 * with actions the vendor has not finished is refreshed from its list. Several instances may share
 * one database: a firing takes the {@code tracking-refresh} lock in the {@code shedlock} table and
 * keeps it for at least {@link #LOCK_AT_LEAST_FOR}, so one instance refreshes per firing and the
 * key's budget is not spent twice.
 */
@Component
@ConditionalOnWebApplication
public class TrackingSchedule implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(TrackingSchedule.class);

    static final String LOCK_NAME = "tracking-refresh";

    /** Longer than any refresh should take; a dead holder's lock expires after it. */
    static final Duration LOCK_AT_MOST_FOR = Duration.ofMinutes(30);

    /** Other instances firing on the same schedule (clocks a little apart) skip this firing. */
    static final Duration LOCK_AT_LEAST_FOR = Duration.ofMinutes(1);

    private final Tracker tracker;

    private final TrackingProperties properties;

    private final Clock clock;

    private final LockingTaskExecutor locks;

    private final ThreadPoolTaskScheduler scheduler;

    private volatile boolean running;

    private volatile Refresh lastRefresh;

    TrackingSchedule(Tracker tracker, TrackingProperties properties, DataSource dataSource, Clock clock) {
        this.tracker = tracker;
        this.properties = properties;
        this.clock = clock;
        if (enabled()) {
            CronExpression.parse(properties.cron()); // fail at start-up, not at the first firing
        }
        this.locks = new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration
            .builder()
            .withJdbcTemplate(new JdbcTemplate(dataSource))
            .withTableName("shedlock")
            // the database's clock, so that instances whose clocks differ still agree
            .usingDbTime()
            .build()));
        this.scheduler = new ThreadPoolTaskScheduler();
        this.scheduler.setPoolSize(1);
        this.scheduler.setThreadNamePrefix("tracking-");
        this.scheduler.setWaitForTasksToCompleteOnShutdown(false);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    private boolean enabled() {
        String cron = this.properties.cron();
        return cron != null && !cron.isBlank() && !cron.strip().equals("-");
    }

    @Override
    public void start() {
        this.scheduler.initialize();
        if (enabled()) {
            this.scheduler.schedule(this::fire, new CronTrigger(this.properties.cron()));
            logger.info("Tracking: refreshing open actions on the schedule '" + this.properties.cron() + "'.");
        }
        else {
            logger.info("Tracking: no schedule (offboarding.tracking.cron is '-'); use 'track'.");
        }
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        this.scheduler.shutdown();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        // as the inbox: stop after the web server, before the database goes
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /**
     * One scheduled refresh, if this instance gets the lock.
     * @return whether this instance refreshed
     */
    boolean fire() {
        Instant now = this.clock.instant();
        try {
            TaskResult<Refresh> result = this.locks.executeWithLock(() -> this.tracker.refreshOpenRuns(true),
                    new LockConfiguration(now, LOCK_NAME, LOCK_AT_MOST_FOR, LOCK_AT_LEAST_FOR));
            if (!result.wasExecuted()) {
                logger.info("Tracking: another instance refreshed for this schedule; this one skips it.");
                return false;
            }
            this.lastRefresh = result.getResult();
            return true;
        }
        catch (Throwable ex) {
            // the next firing tries again; polling is the source of truth, nothing is lost meanwhile
            logger.warn("Tracking: the scheduled refresh failed: " + ex.getMessage());
            return true;
        }
    }

    /** The last refresh this instance made on schedule, if any. */
    public Optional<Refresh> lastRefresh() {
        return Optional.ofNullable(this.lastRefresh);
    }

}
