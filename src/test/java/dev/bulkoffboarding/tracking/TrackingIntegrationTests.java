package dev.bulkoffboarding.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.quipteams.VendorState;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import dev.bulkoffboarding.support.SandboxVendor;
import dev.bulkoffboarding.tracking.TrackedActions.Applied;
import dev.bulkoffboarding.tracking.TrackedActions.Source;
import dev.bulkoffboarding.tracking.TrackedActions.StatusEvent;
import dev.bulkoffboarding.tracking.Tracker.Refresh;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Following actions after the vendor created them: the vendor's list read 100 per page over many
 * pages while the sandbox's lifecycle moves the actions, actions of others ignored, a lagging list
 * that never undoes a recorded state, and {@link TrackedActions#apply}'s rule that a state never
 * replaces a newer one, whatever order polls and webhooks arrive in. A contract: it runs once per
 * database ({@link TrackingOnH2IntegrationTests}, {@link TrackingOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=16", "offboarding.chunk-size=100" })
@ActiveProfiles("test")
@RecordApplicationEvents
abstract class TrackingIntegrationTests {

    @AutoClose
    static SandboxServer vendor;

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Tracker tracker;

    @Autowired
    TrackedActions actions;

    @Autowired
    TrackingProperties properties;

    @Autowired
    ApplicationEvents events;

    String prefix;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxServer started = SandboxVendor.immediate();
        vendor = started;
        SandboxVendor.use(started, registry);
    }

    @BeforeEach
    void reset() {
        vendor.reset();
        vendor.setLifecycleStep(Duration.ZERO);
        this.prefix = "T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
    }

    @Test
    void tracksTwoHundredFiftyActionsOverThreePagesAsTheyShipAndComplete() throws IOException {
        // given: someone else's action for a device of ours, then a run of 250 rows, every fifth a wipe
        vendor.seedAction(requestJson(this.prefix + "OTHER"), Instant.now());
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            rows.add(row(i, (i % 5 == 0) ? "yes" : "no"));
        }
        RunResult result = this.runs.run(RunRequest.of(file(rows)));
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        long runId = result.summary().runId();
        int listingsBefore = listings().size();

        // when: the first refresh, while every action is In Progress
        Refresh first = this.tracker.refresh(runId);

        // then: 251 listed over 3 pages of at most 100, the 250 ours recorded
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.listed()).isEqualTo(251);
        assertThat(first.seen()).isEqualTo(250);
        assertThat(first.changed()).isEqualTo(250);
        assertThat(first.stalled()).isEmpty();
        List<LoggedRequest> listings = listings().subList(listingsBefore, listings().size());
        assertThat(listings).hasSize(3)
            .allSatisfy((get) -> assertThat(get.pathAndQuery()).contains("limit=100").contains("created_after="));
        assertThat(listings.get(1).pathAndQuery()).contains("cursor=");
        assertThat(this.actions.forRun(runId)).hasSize(250)
            .allSatisfy((action) -> assertThat(action.status()).isEqualTo("In Progress"));

        // when: the lifecycle moves every action to its end, and the run is refreshed again
        vendor.setLifecycleStep(Duration.ofMillis(1));
        Refresh second = this.tracker.refresh(runId);

        // then
        assertThat(second.seen()).isEqualTo(250);
        assertThat(second.changed()).isEqualTo(250);
        List<TrackedAction> tracked = this.actions.forRun(runId);
        assertThat(tracked).allSatisfy((action) -> {
            assertThat(action.status()).isEqualTo("Completed");
            assertThat(action.isFinished(this.properties)).isTrue();
            assertThat(action.trackingCode()).startsWith("SBX");
            assertThat(action.trackingLink()).endsWith(action.trackingCode());
            assertThat(action.wipeCompleted()).isEqualTo(action.wipe());
            assertThat(action.vendorUpdatedAt()).isAfter(action.sentAt().minusSeconds(1));
            assertThat(action.lastCheckedAt()).isEqualTo(second.at());
        });
        assertThat(tracked).filteredOn(TrackedAction::wipe).hasSize(50);
        // the list has no status_timestamps: each status is recorded as it was first seen
        List<StatusEvent> statuses = this.actions.events(runId);
        assertThat(statuses).hasSize(500);
        assertThat(statuses).extracting(StatusEvent::status).containsOnly("In Progress", "Completed");
        assertThat(this.events.stream(TrackingRefreshed.class)).hasSize(2)
            .allSatisfy((event) -> assertThat(event.runIds()).containsExactly(runId));
        // nothing open is left: a refresh of open runs has nothing to do
        assertThat(this.actions.runsWithOpenActions(this.properties)).doesNotContain(runId);
    }

    @Test
    void anActionTheListDoesNotShowYetKeepsTheStateItHad() throws IOException {
        // given: a run of three, tracked once In Progress
        RunResult result = this.runs.run(RunRequest.of(file(List.of(row(1, "no"), row(2, "yes"), row(3, "no")))));
        long runId = result.summary().runId();
        this.tracker.refresh(runId);
        Map<Long, TrackedAction> before = byLine(this.actions.forRun(runId));

        // when: the actions complete, but the vendor's list lags an hour behind creation
        vendor.setLifecycleStep(Duration.ofMillis(1));
        vendor.setListLag(Duration.ofHours(1));
        Refresh lagging = this.tracker.refresh(runId);

        // then: nothing listed, nothing lost, and we know we looked
        assertThat(lagging.seen()).isZero();
        Map<Long, TrackedAction> during = byLine(this.actions.forRun(runId));
        assertThat(during.values()).allSatisfy((action) -> {
            assertThat(action.status()).isEqualTo("In Progress");
            assertThat(action.lastCheckedAt()).isEqualTo(lagging.at());
            assertThat(action.changedAt()).isEqualTo(before.get(action.lineNumber()).changedAt());
        });

        // when: the list catches up
        vendor.setListLag(Duration.ZERO);
        Refresh caughtUp = this.tracker.refresh(runId);

        // then
        assertThat(caughtUp.seen()).isEqualTo(3);
        assertThat(this.actions.forRun(runId)).extracting(TrackedAction::status).containsOnly("Completed");
        assertThat(byLine(this.actions.forRun(runId)).get(3L).wipeCompleted()).isTrue();
    }

    @Test
    void refreshingOpenRunsLeavesFinishedRunsAlone() throws IOException {
        // given: one run completed and tracked, another still in progress
        RunResult done = this.runs.run(RunRequest.of(file(List.of(row(1, "no")))));
        vendor.setLifecycleStep(Duration.ofMillis(1));
        this.tracker.refresh(done.summary().runId());
        vendor.setLifecycleStep(Duration.ZERO);
        RunResult open = this.runs.run(RunRequest.of(file(List.of(row(2, "no")))));

        // when
        Refresh refresh = this.tracker.refreshOpenRuns(true);

        // then
        assertThat(refresh.runIds()).contains(open.summary().runId()).doesNotContain(done.summary().runId());
        assertThat(this.actions.forRun(open.summary().runId())).extracting(TrackedAction::status)
            .containsExactly("In Progress");
        assertThat(this.events.stream(TrackingRefreshed.class).filter(TrackingRefreshed::scheduled)).hasSize(1);
    }

    @Test
    void aNewerStateWinsWhateverOrderPollsAndWebhooksArriveIn() throws IOException {
        // given: one submitted row
        RunResult result = this.runs.run(RunRequest.of(file(List.of(row(1, "yes")))));
        long runId = result.summary().runId();
        String id = this.actions.forRun(runId).get(0).vendorId();
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        Instant now = Instant.parse("2026-03-02T08:00:00.123Z");

        // when: a webhook says Shipped (t0 + 1h), then a stale poll says In Progress (t0), then the
        // same Shipped again, then Completed (t0 + 2h) with the vendor's own timestamps
        Applied shipped = this.actions.apply(state(id, "Shipped", "SBX1", false, t0.plusSeconds(3600), Map.of()),
                Source.WEBHOOK, now);
        Applied stale = this.actions.apply(state(id, "In Progress", null, false, t0, Map.of()), Source.POLL, now);
        Applied same = this.actions.apply(state(id, "Shipped", "SBX1", false, t0.plusSeconds(3600), Map.of()),
                Source.POLL, now.plusSeconds(1));
        Applied completed = this.actions.apply(state(id, "Completed", "SBX1", true, t0.plusSeconds(7200),
                Map.of("In Progress", t0, "Shipped", t0.plusSeconds(3600), "Completed", t0.plusSeconds(7200))),
                Source.WEBHOOK, now.plusSeconds(2));
        Applied olderAfterCompleted = this.actions.apply(state(id, "Shipped", "SBX1", false, t0.plusSeconds(3600),
                Map.of()), Source.POLL, now.plusSeconds(3));

        // then
        assertThat(shipped).isEqualTo(Applied.CHANGED);
        assertThat(stale).isEqualTo(Applied.OLDER);
        assertThat(same).isEqualTo(Applied.UNCHANGED);
        assertThat(completed).isEqualTo(Applied.CHANGED);
        assertThat(olderAfterCompleted).isEqualTo(Applied.OLDER);
        TrackedAction action = this.actions.forRun(runId).get(0);
        assertThat(action.status()).isEqualTo("Completed");
        assertThat(action.wipeCompleted()).isTrue();
        assertThat(action.vendorUpdatedAt()).isEqualTo(t0.plusSeconds(7200));
        assertThat(action.changedAt()).isEqualTo(now.plusSeconds(2));
        assertThat(action.lastCheckedAt()).isEqualTo(now.plusSeconds(3));
        assertThat(action.statusTimestamps()).containsOnlyKeys("In Progress", "Shipped", "Completed");
        // the evidence: each status once, at the vendor's own time where it sent one
        assertThat(this.actions.events(runId)).extracting(StatusEvent::status, StatusEvent::occurredAt,
                StatusEvent::source)
            .containsExactly(
                    org.assertj.core.groups.Tuple.tuple("In Progress", t0, "VENDOR"),
                    org.assertj.core.groups.Tuple.tuple("Shipped", t0.plusSeconds(3600), "VENDOR"),
                    org.assertj.core.groups.Tuple.tuple("Completed", t0.plusSeconds(7200), "VENDOR"));
    }

    @Test
    void anActionThatIsNotOursChangesNothing() throws IOException {
        // given
        RunResult result = this.runs.run(RunRequest.of(file(List.of(row(1, "no")))));
        long runId = result.summary().runId();

        // when
        Applied applied = this.actions.apply(state(UUID.randomUUID().toString(), "Completed", "X", true,
                Instant.now(), Map.of()), Source.WEBHOOK, Instant.now());

        // then
        assertThat(applied).isEqualTo(Applied.NOT_OURS);
        assertThat(this.actions.forRun(runId)).singleElement()
            .satisfies((action) -> assertThat(action.isTracked()).isFalse());
        assertThat(this.actions.events(runId)).isEmpty();
    }

    private static VendorState state(String id, String status, String code, boolean wipeCompleted, Instant updatedAt,
            Map<String, Instant> timestamps) {
        return new VendorState(id, null, status, new java.util.LinkedHashMap<>(new java.util.TreeMap<>(timestamps)),
                code, (code == null) ? null : "https://tracking.example/" + code, wipeCompleted, updatedAt);
    }

    private static Map<Long, TrackedAction> byLine(List<TrackedAction> tracked) {
        Map<Long, TrackedAction> byLine = new java.util.TreeMap<>();
        tracked.forEach((action) -> byLine.put(action.lineNumber(), action));
        return byLine;
    }

    private static List<LoggedRequest> listings() {
        return vendor.requests().stream().filter((request) -> request.method().equals("GET")).toList();
    }

    private String requestJson(String serial) {
        return "{\"action_type\":\"Store\",\"serial_number\":\"" + serial + "\",\"current_user\":"
                + "{\"name\":\"Someone Else\",\"email\":\"else@acme.com\"}}";
    }

    String row(int number, String wipe) {
        return this.prefix + number + ",Store,Person " + number + ",p" + number + "@acme.com," + wipe;
    }

    Path file(List<String> rows) throws IOException {
        String csv = "serial_number,action_type,current_user_name,current_user_email,wipe\n" + String.join("\n", rows)
                + "\n";
        Path file = this.dir.resolve(this.prefix + UUID.randomUUID() + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

}
