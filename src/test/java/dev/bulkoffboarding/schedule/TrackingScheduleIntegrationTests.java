package dev.bulkoffboarding.schedule;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import dev.bulkoffboarding.tracking.Tracker;
import dev.bulkoffboarding.tracking.TrackingProperties;
import dev.bulkoffboarding.tracking.TrackingRefreshed;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * serve's scheduled tracking refresh: two instances sharing one database fire on the same
 * schedule, and only one refreshes (and so spends the key's budget and publishes the event).
 */
@SpringBootTest
@ActiveProfiles("test")
@RecordApplicationEvents
class TrackingScheduleIntegrationTests {

    @AutoClose
    static SandboxServer vendor;

    @Autowired
    Tracker tracker;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationEvents events;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxServer started = SandboxVendor.immediate();
        vendor = started;
        SandboxVendor.use(started, registry);
    }

    @Test
    void oneOfTwoInstancesFiringTogetherRefreshes() {
        // given
        TrackingProperties everyMinute = new TrackingProperties(Duration.ofDays(7), "0 * * * * *",
                List.of("Completed"), List.of("Cancelled"));
        TrackingSchedule first = new TrackingSchedule(this.tracker, everyMinute, this.dataSource, Clock.systemUTC());
        TrackingSchedule second = new TrackingSchedule(this.tracker, everyMinute, this.dataSource, Clock.systemUTC());

        // when
        boolean firstRefreshed = first.fire();
        boolean secondRefreshed = second.fire();

        // then
        assertThat(firstRefreshed).isTrue();
        assertThat(secondRefreshed).isFalse();
        assertThat(first.lastRefresh()).isPresent();
        assertThat(second.lastRefresh()).isEmpty();
        assertThat(this.events.stream(TrackingRefreshed.class)).singleElement()
            .satisfies((event) -> assertThat(event.scheduled()).isTrue());
    }

}
