package dev.bulkoffboarding.schedule;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When {@code serve} processes the inbox by itself.
 *
 * @param cron a Spring cron expression (second minute hour day month weekday); {@code -} switches the
 * schedule off (the manual trigger still works)
 * @param zone the time zone of the cron expression; unset means the server's
 * @param lockAtMostFor how long a crashed instance can keep the others from firing; a live instance
 * extends its lock while its pass goes on
 * @param lockAtLeastFor how long a scheduled pass holds the lock at least, so that instances whose
 * clocks differ by less do not fire one after the other
 */
@ConfigurationProperties("offboarding.schedule")
public record ScheduleProperties(@DefaultValue("0 0 2 * * *") String cron, ZoneId zone,
        @DefaultValue("10m") Duration lockAtMostFor, @DefaultValue("5m") Duration lockAtLeastFor) {

    public boolean enabled() {
        return !"-".equals(this.cron.trim());
    }

    public ZoneId zoneOrDefault() {
        return (this.zone != null) ? this.zone : ZoneId.systemDefault();
    }

}
