package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.support.FakeApiKeys;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run whose lock is lost while it sends (on PostgreSQL its session is terminated, on H2 its lock
 * file is deleted) stops before its next chunk: nothing more is sent by it, the rows it had not
 * sent stay pending, and a restart sends each of them once. A contract: it runs once per database
 * ({@link RunOwnershipOnH2IntegrationTests}, {@link RunOwnershipOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=1", "offboarding.chunk-size=2" })
@ActiveProfiles("test")
abstract class RunOwnershipIntegrationTests {

    // One server per subclass's context: each database variant starts its own and closes it after.
    static MockWebServer server;

    static final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    /** Runs as the vendor answers this POST (1-based); 0 for never. */
    static final AtomicInteger loseOwnershipAtPost = new AtomicInteger();

    static volatile Runnable loseOwnership = () -> {
    };

    static final AtomicInteger posts = new AtomicInteger();

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) throws IOException {
        MockWebServer started = new MockWebServer();
        started.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                if ("GET".equals(request.getMethod())) {
                    return json(200, "{\"data\": [], \"meta\": {\"has_more\": false, \"next_cursor\": null}}");
                }
                if (posts.incrementAndGet() == loseOwnershipAtPost.get()) {
                    loseOwnership.run();
                }
                return json(201, "{\"data\": {\"id\": \"" + UUID.randomUUID() + "\", \"action_id\": \"DA-"
                        + posts.get() + "\", \"status\": \"In Progress\"}}");
            }
        });
        started.start();
        server = started;
        registry.add("quipteams.base-url", () -> started.url("/").toString().replaceAll("/$", ""));
        registry.add("quipteams.api-key", FakeApiKeys::live);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        received.clear();
        posts.set(0);
        loseOwnershipAtPost.set(0);
        loseOwnership = this::loseTheRunLock;
    }

    /** Takes the run's lock away from this process the way it can happen in production. */
    abstract void loseTheRunLock();

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    Path sheet(int count) throws IOException {
        StringBuilder csv = new StringBuilder("Serial Number;Action;Employee Name;Employee Email\r\n");
        for (int i = 1; i <= count; i++) {
            csv.append("OWN-").append(i).append(";Retrieval;Person ").append(i).append(";p").append(i)
                .append("@acme.com\r\n");
        }
        return Files.writeString(this.dir.resolve(UUID.randomUUID() + ".csv"), csv, StandardCharsets.UTF_8);
    }

    Map<String, Long> postsPerSerial() {
        return received.stream()
            .filter((request) -> "POST".equals(request.getMethod()))
            .map((request) -> request.getBody().utf8().replaceAll(".*\"serial_number\":\"([^\"]+)\".*", "$1"))
            .collect(Collectors.groupingBy((serial) -> serial, Collectors.counting()));
    }

    @Test
    void aRunThatLostItsLockStopsBeforeItsNextChunkAndARestartSendsTheRestOnce() throws IOException {
        // given: six rows in chunks of two; the lock is lost while the first chunk's last request is answered
        Path file = sheet(6);
        loseOwnershipAtPost.set(2);

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: nothing sent after the loss; the unsent rows are pending
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains("stopped before sending more: this process no longer owns it")
            .contains("run the same command again to resume");
        assertThat(posts.get()).isEqualTo(2);
        Map<RowState, Long> states = this.ledger.countByState(result.summary().runId());
        assertThat(states.get(RowState.SUBMITTED)).isEqualTo(2);
        assertThat(states.get(RowState.VALID)).isEqualTo(4);

        // when: the run is resumed
        RunResult restarted = this.runs.restart(result.summary().runId());

        // then
        assertThat(restarted.exitCode()).as(restarted.message()).isEqualTo(ExitCodes.OK);
        assertThat(postsPerSerial()).hasSize(6).allSatisfy((serial, n) -> assertThat(n).as(serial).isEqualTo(1L));
    }

}
