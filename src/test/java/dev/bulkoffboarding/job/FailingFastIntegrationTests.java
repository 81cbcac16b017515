package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
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
 * What a wrong setting or an odd vendor answer costs a whole run: a wrong key or a wrong base URL
 * stops it after one request with a message that names the cause, leaving every row to send once
 * the setting is fixed ({@link UnreachableVendorIntegrationTests}: an unreachable host); a vendor
 * text longer than our columns is cut, and the run finishes. A contract: it runs once per database
 * ({@link FailingFastOnH2IntegrationTests}, {@link FailingFastOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=8", "quipteams.max-attempts=10",
        "offboarding.chunk-size=5" })
@ActiveProfiles("test")
abstract class FailingFastIntegrationTests {

    static final String HEADER = "Serial Number;Action;Employee Name;Employee Email";

    static final String UNAUTHORIZED = "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"Missing or invalid "
            + "Authorization header\", \"details\": null}}";

    // One server per subclass's context: each database variant starts its own and closes it after.
    static MockWebServer server;


    static final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    static final AtomicReference<Function<RecordedRequest, MockResponse>> responder = new AtomicReference<>();

    static final AtomicInteger created = new AtomicInteger();

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
                return responder.get().apply(request);
            }
        });
        started.start();
        server = started;
        registry.add("quipteams.base-url", () -> baseUrl());
        registry.add("quipteams.api-key", FakeApiKeys::live);
    }

    static String baseUrl() {
        return "http://localhost:" + server.getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        received.clear();
        responder.set(FailingFastIntegrationTests::created);
    }

    static MockResponse created(RecordedRequest request) {
        if ("GET".equals(request.getMethod())) {
            return json(200, "{\"data\": [], \"meta\": {\"has_more\": false, \"next_cursor\": null}}");
        }
        int n = created.incrementAndGet();
        return json(201, "{\"data\": {\"id\": \"" + UUID.randomUUID() + "\", \"action_id\": \"DA-" + n
                + "\", \"status\": \"In Progress\"}}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    Path sheet(int count) throws IOException {
        StringBuilder csv = new StringBuilder(HEADER + "\r\n");
        String prefix = "FF" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (int i = 1; i <= count; i++) {
            csv.append(prefix).append(i).append(";Retrieval;Person ").append(i).append(";p").append(i)
                .append("@acme.com\r\n");
        }
        return Files.writeString(this.dir.resolve(UUID.randomUUID() + ".csv"), csv, StandardCharsets.UTF_8);
    }

    List<RecordedRequest> posts() {
        return received.stream().filter((r) -> "POST".equals(r.getMethod())).toList();
    }

    Map<RowState, Long> states(long runId) {
        Map<RowState, Long> counts = new TreeMap<>(this.ledger.countByState(runId));
        counts.values().removeIf((n) -> n == 0);
        return counts;
    }

    @Test
    void aRejectedKeyCostsOneRequestAndLeavesEveryRowToSendLater() throws IOException {
        // given
        responder.set((request) -> json(401, UNAUTHORIZED));
        Path file = sheet(20);

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: stopped at the first answer; nothing rejected, every row still to send
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains("API key rejected (401 UNAUTHORIZED)");
        assertThat(posts()).hasSize(1);
        assertThat(states(result.summary().runId())).containsOnlyKeys(RowState.VALID, RowState.SUBMITTING)
            .containsEntry(RowState.VALID, 19L);

        // when: the key is fixed
        responder.set(FailingFastIntegrationTests::created);
        RunResult restarted = this.runs.restart(result.summary().runId());

        // then
        assertThat(restarted.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(restarted.summary().count("SUBMITTED")).isEqualTo(20);
        assertThat(posts()).hasSize(21);
    }

    @Test
    void aWrongBaseUrlCostsOneRequestAndNamesTheSetting() throws IOException {
        // given: a web server's own 404 page, as when the base URL misses the API
        responder.set((request) -> new MockResponse.Builder().code(404).addHeader("Content-Type", "text/html")
            .body("<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>")
            .build());
        Path file = sheet(20);

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains(baseUrl() + " does not look like the Quipteams API: 404 with an HTML page; "
                + "check quipteams.base-url");
        assertThat(posts()).hasSizeLessThanOrEqualTo(3).hasSize(1);
        assertThat(states(result.summary().runId())).doesNotContainKeys(RowState.REJECTED, RowState.FAILED)
            .containsEntry(RowState.VALID, 19L);
    }

    @Test
    void aVendorCodeLongerThanItsColumnIsCutAndNeverSentAgain() throws IOException {
        // given: the vendor rejects one row with a 150-character error code
        String longCode = "E".repeat(150);
        Path file = sheet(6);
        responder.set((request) -> request.getBody().utf8().contains("-3\"")
                ? json(422, "{\"error\": {\"code\": \"" + longCode + "\", \"message\": \"no\", \"details\": null}}")
                : created(request));

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: the run finishes, and the row is rejected with the code cut to its column
        assertThat(result.exitCode()).as(result.message()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        long runId = result.summary().runId();
        assertThat(states(runId)).containsOnly(Map.entry(RowState.SUBMITTED, 5L), Map.entry(RowState.REJECTED, 1L));
        List<LedgerRow> rejected = new CopyOnWriteArrayList<>();
        this.ledger.forEachRow(runId, (row) -> {
            if (row.state() == RowState.REJECTED) {
                rejected.add(row);
            }
        });
        assertThat(rejected).singleElement().satisfies((row) -> {
            assertThat(row.errorCode()).hasSize(100).startsWith("E".repeat(99));
            assertThat(row.httpStatus()).isEqualTo(422);
        });
        int sent = received.size();

        // when: the same file again, and its run restarted
        RunResult again = this.runs.run(RunRequest.of(file));
        RunResult restarted = this.runs.restart(runId);

        // then: nothing is sent again
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(restarted.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(received).hasSize(sent);
    }

}
