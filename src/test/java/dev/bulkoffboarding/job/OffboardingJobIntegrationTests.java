package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job against a mock Quipteams: what reaches the wire, what the ledger says, what the
 * reports say and which exit code the operator gets. A contract: it runs once per database
 * ({@link OffboardingJobOnH2IntegrationTests}, {@link OffboardingJobOnPostgresIntegrationTests}).
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class OffboardingJobIntegrationTests {

    static final String KEY = "qk_test_integration0123456789";

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
            + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
            + "notification_emails";

    // One server per subclass's context: each database variant starts its own and closes it after.
    static MockWebServer server;

    static final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    static final AtomicReference<Function<RecordedRequest, MockResponse>> responder = new AtomicReference<>();

    static final AtomicInteger created = new AtomicInteger();

    static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) throws IOException {
        MockWebServer started = new MockWebServer();
        server = started;
        started.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                return responder.get().apply(request);
            }
        });
        started.start();
        registry.add("quipteams.base-url", () -> started.url("/").toString().replaceAll("/$", ""));
        registry.add("quipteams.api-key", () -> KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        received.clear();
        responder.set(OffboardingJobIntegrationTests::created);
    }

    static MockResponse created(RecordedRequest request) {
        if ("GET".equals(request.getMethod())) {
            return json(200, "{\"data\":[],\"meta\":{\"has_more\":false,\"next_cursor\":null}}");
        }
        JsonNode body = json.readTree(request.getBody().utf8());
        int n = created.incrementAndGet();
        return json(201, "{\"data\":{\"id\":\"" + UUID.randomUUID() + "\",\"action_id\":\"DA-2026-" + n
                + "\",\"action_type\":\"" + body.get("action_type").asString() + "\",\"status\":\"In Progress\"}}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status)
            .addHeader("Content-Type", "application/json")
            .addHeader("X-RateLimit-Limit", "6000")
            .addHeader("X-RateLimit-Remaining", "5999")
            .addHeader("X-RateLimit-Reset", Long.toString(System.currentTimeMillis() + 60_000))
            .body(body)
            .build();
    }

    Path csv(String... rows) throws IOException {
        Path file = this.dir.resolve("offboarding-" + UUID.randomUUID() + ".csv");
        Files.writeString(file, HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n", StandardCharsets.UTF_8);
        return file;
    }

    List<RecordedRequest> posts() {
        return received.stream().filter((r) -> "POST".equals(r.getMethod())).toList();
    }

    Map<Long, LedgerRow> ledgerRows(long runId) {
        Map<Long, LedgerRow> rows = new java.util.TreeMap<>();
        this.ledger.forEachRow(runId, (row) -> rows.put(row.line(), row));
        return rows;
    }

    @Test
    void submitsEveryValidRowOnceWithTheContractsBody() throws IOException {
        // given
        Path file = csv(
                "C02X9876WXYZ,Store,John Doe,john@acme.com,United States,123 Main St,'+1-555-0100,,,true,Employee leaving March 15th,it@acme.com",
                "PF3K9ZLM,Assign,Li Wei,li@acme.com,,,,Jane Roe,jane@acme.com,,,",
                "R90X7TQP,retrieval,Lucas Martin,lucas@acme.com,France,,,,,no,,a@acme.com;b@acme.com",
                "BADROW1,Store,Ben Turner,,,,,,,,,",
                "c02x9876wxyz,Store,John Doe,john@acme.com,United States,123 Main St,,,,true,again,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: three requests, each exactly as the contract says
        assertThat(posts()).hasSize(3);
        RecordedRequest store = posts().stream()
            .filter((r) -> r.getBody().utf8().contains("C02X9876WXYZ"))
            .findFirst()
            .orElseThrow();
        assertThat(store.getTarget()).isEqualTo("/api/v1/device-actions");
        assertThat(store.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(store.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(store.getHeaders().get("Idempotency-Key")).endsWith("-2");
        assertThat(json.readTree(store.getBody().utf8())).isEqualTo(json.readTree("""
                {"action_type":"Store","serial_number":"C02X9876WXYZ",
                 "current_user":{"name":"John Doe","email":"john@acme.com","country":"United States",
                                 "address":"123 Main St","phone":"+1-555-0100"},
                 "wipe":true,"notes":"Employee leaving March 15th","notification_emails":["it@acme.com"]}
                """));
        JsonNode assign = json.readTree(posts().stream()
            .filter((r) -> r.getBody().utf8().contains("PF3K9ZLM"))
            .findFirst()
            .orElseThrow()
            .getBody()
            .utf8());
        assertThat(assign).isEqualTo(json.readTree("""
                {"action_type":"Assign","serial_number":"PF3K9ZLM",
                 "current_user":{"name":"Li Wei","email":"li@acme.com"},
                 "new_recipient":{"name":"Jane Roe","email":"jane@acme.com"}}
                """));
        JsonNode retrieval = json.readTree(posts().stream()
            .filter((r) -> r.getBody().utf8().contains("R90X7TQP"))
            .findFirst()
            .orElseThrow()
            .getBody()
            .utf8());
        assertThat(retrieval.get("action_type").asString()).isEqualTo("Retrieval");
        assertThat(retrieval.get("wipe").isBoolean()).isTrue();
        assertThat(retrieval.get("notification_emails")).hasSize(2);

        // then: the ledger holds every record in one final state
        var rows = ledgerRows(result.summary().runId());
        assertThat(rows.keySet()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(rows.get(2L).state()).isEqualTo(RowState.SUBMITTED);
        assertThat(rows.get(2L).actionId()).startsWith("DA-2026-");
        assertThat(rows.get(2L).vendorId()).isNotBlank();
        assertThat(rows.get(5L).state()).isEqualTo(RowState.INVALID);
        assertThat(rows.get(5L).errorMessage()).contains("current_user_email is required");
        assertThat(rows.get(6L).state()).isEqualTo(RowState.DUPLICATE);
        assertThat(rows.get(6L).errorMessage()).isEqualTo("same device and action as line 2");

        // then: the reports, and exit 3 because two rows need a person
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        Path reports = result.reportDirectory();
        List<String> results = Files.readAllLines(reports.resolve("results.csv"));
        assertThat(results).hasSize(6);
        assertThat(results.get(0)).isEqualTo("line,serial_number,action_type,outcome,action_id,http_status,attempts,message");
        assertThat(results.get(1)).startsWith("2,C02X9876WXYZ,Store,SUBMITTED,DA-2026-");
        List<String> failures = Files.readAllLines(reports.resolve("failures.csv"));
        assertThat(failures.get(0)).isEqualTo(HEADER + ",error");
        assertThat(failures).hasSize(3);
        assertThat(failures.get(1)).startsWith("BADROW1,Store,Ben Turner,").contains("INVALID (line 5)");
        JsonNode summary = json.readTree(reports.resolve("summary.json").toFile());
        assertThat(summary.get("outcomes").get("SUBMITTED").asLong()).isEqualTo(3);
        assertThat(summary.get("outcomes").get("INVALID").asLong()).isEqualTo(1);
        assertThat(summary.get("outcomes").get("DUPLICATE").asLong()).isEqualTo(1);
        assertThat(summary.get("sandbox").asBoolean()).isFalse();
        assertThat(summary.get("file_sha256").asString()).hasSize(64);
        assertThat(summary.get("wipes").asLong()).isEqualTo(1);
    }

    @Test
    void recordsTheVendorsRejectionAndGoesOn() throws IOException {
        // given
        responder.set((request) -> request.getBody().utf8().contains("NOTINV")
                ? json(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"No device with serial number NOTINV-1\",\"details\":null}}")
                : created(request));
        Path file = csv("NOTINV-1,Store,John Doe,john@acme.com,,,,,,,,", "OK-2,Store,Jane Roe,jane@acme.com,,,,,,,,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(posts()).hasSize(2);
        var rows = ledgerRows(result.summary().runId());
        assertThat(rows.get(2L).state()).isEqualTo(RowState.REJECTED);
        assertThat(rows.get(2L).httpStatus()).isEqualTo(404);
        assertThat(rows.get(2L).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(rows.get(2L).errorMessage()).contains("No device with serial number NOTINV-1");
        assertThat(rows.get(3L).state()).isEqualTo(RowState.SUBMITTED);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
    }

    @Test
    void refusesTheWrongFileBeforeAnyRequest() throws IOException {
        // given: 3 of 4 rows invalid
        Path file = csv("A1,Store,John Doe,john@acme.com,,,,,,,,", "A2,Explode,John Doe,john@acme.com,,,,,,,,",
                "A3,Store,,john@acme.com,,,,,,,,", "A4,Store,John Doe,not-an-email,,,,,,,,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(received).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(result.summary().status()).isEqualTo("STOPPED");
        assertThat(result.message()).contains("3 of 4 rows (75 %) are invalid").contains("wrong file");
        assertThat(Files.readAllLines(result.reportDirectory().resolve("failures.csv"))).hasSize(4);
        assertThat(ledgerRows(result.summary().runId()).get(2L).state()).isEqualTo(RowState.VALID);
    }

    @Test
    void doesNotRepeatACompletedRun() throws IOException {
        // given
        Path file = csv("B1,Store,John Doe,john@acme.com,,,,,,,,");
        RunResult first = this.runs.run(RunRequest.of(file));
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);

        // when
        RunResult second = this.runs.run(RunRequest.of(file));

        // then
        assertThat(posts()).hasSize(1);
        assertThat(second.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(second.message()).contains("already run completely as run " + first.summary().runId())
            .contains("--rerun");
    }

    @Test
    void aRestartDoesNotRunAFileThatChangedSince() throws IOException {
        // given: a run that failed, and its file edited afterwards
        responder.set((request) -> json(401,
                "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"Missing or invalid Authorization header\",\"details\":null}}"));
        Path file = csv("R1,Store,John Doe,john@acme.com,,,,,,,,");
        RunResult failed = this.runs.run(RunRequest.of(file));
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        Files.writeString(file, HEADER + "\r\nR2,Store,Jane Roe,jane@acme.com,,,,,,,,\r\n", StandardCharsets.UTF_8);
        responder.set(OffboardingJobIntegrationTests::created);
        received.clear();

        // when
        RunResult restart = this.runs.restart(failed.summary().runId());

        // then: the edited file would be another run, which 'restart' must not start
        assertThat(restart.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(restart.message()).contains("has changed since run " + failed.summary().runId())
            .contains("nothing was sent");
        assertThat(received).isEmpty();
    }

    @Test
    void aNulCharacterInACellMakesItsRowInvalid() throws IOException {
        // given: NUL in a serial number and in a note (PostgreSQL text cannot hold it, H2 can)
        Path file = csv("U1,Store,John Doe,john@acme.com,,,,,,,,", "U\u00002,Store,Jane Roe,jane@acme.com,,,,,,,,",
                "U3,Store,Max Moe,max@acme.com,,,,,,,no\u0000te,", "U4,Store,Ann Lee,ann@acme.com,,,,,,,,",
                "U5,Store,Bob Ray,bob@acme.com,,,,,,,,", "U6,Store,Cy Dee,cy@acme.com,,,,,,,,",
                "U7,Store,Di Eck,di@acme.com,,,,,,,,", "U8,Store,Ed Fox,ed@acme.com,,,,,,,,",
                "U9,Store,Fay Gil,fay@acme.com,,,,,,,,", "U10,Store,Gus Ho,gus@acme.com,,,,,,,,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: the same outcome on every database, and the rows' own cells kept for failures.csv
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        var rows = ledgerRows(result.summary().runId());
        assertThat(rows.get(3L).state()).isEqualTo(RowState.INVALID);
        assertThat(rows.get(3L).serialNumber()).isEqualTo("U\uFFFD2");
        assertThat(rows.get(3L).sourceCells()).contains("U\\u00002");
        assertThat(rows.get(4L).state()).isEqualTo(RowState.INVALID);
        assertThat(rows.get(4L).errorMessage()).contains("notes contains a NUL character");
        assertThat(posts()).hasSize(8);
    }

    @Test
    void validateSendsNothingAndLeavesTheRunToRun() throws IOException {
        // given
        Path file = csv("V1,Store,John Doe,john@acme.com,,,,,,yes,,", "V2,Reassign,Jane Roe,jane@acme.com,,,,Max,max@acme.com,,,");

        // when
        RunResult validation = this.runs.validate(file);

        // then
        assertThat(received).isEmpty();
        assertThat(validation.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(validation.summary().kind()).isEqualTo("VALIDATE");
        assertThat(validation.summary().wipes()).isEqualTo(1);
        assertThat(validation.summary().newRecipients()).isEqualTo(1);
        assertThat(validation.summary().actionTypes()).containsEntry("Store", 1L).containsEntry("Reassign", 1L);

        // when: the same file is run afterwards
        RunResult run = this.runs.run(RunRequest.of(file));

        // then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(posts()).hasSize(2);
    }

    @Test
    void skipsDevicesAnEarlierRunSubmitted() throws IOException {
        // given
        RunResult monday = this.runs.run(RunRequest.of(csv("N1,Store,John Doe,john@acme.com,,,,,,,,")));
        received.clear();

        // when: Tuesday's cumulative export holds Monday's leaver again
        RunResult tuesday = this.runs.run(RunRequest.of(csv("N1,Store,John Doe,john@acme.com,,,,,,,,",
                "N2,Store,Jane Roe,jane@acme.com,,,,,,,,")));

        // then
        assertThat(posts()).hasSize(1);
        assertThat(posts().get(0).getBody().utf8()).contains("N2");
        LedgerRow again = ledgerRows(tuesday.summary().runId()).get(2L);
        assertThat(again.state()).isEqualTo(RowState.ALREADY_SUBMITTED);
        assertThat(again.relatedRunId()).isEqualTo(monday.summary().runId());
        assertThat(tuesday.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void marksConflictingActionsForOneDeviceInvalid() throws IOException {
        // given
        Path file = csv("K1,Store,John Doe,john@acme.com,,,,,,,,", "K2,Store,Jane Roe,jane@acme.com,,,,,,,,",
                "K3,Store,Max Moe,max@acme.com,,,,,,,,", "K4,Store,Ann Lee,ann@acme.com,,,,,,,,",
                "K5,Store,Bob Ray,bob@acme.com,,,,,,,,", "K6,Store,Cy Dee,cy@acme.com,,,,,,,,",
                "K7,Store,Di Eck,di@acme.com,,,,,,,,", "K8,Store,Ed Fox,ed@acme.com,,,,,,,,",
                "K9,Store,Fay Gil,fay@acme.com,,,,,,,,", "K10,Store,Gus Ho,gus@acme.com,,,,,,,,",
                "k1 ,Retrieval,John Doe,john@acme.com,,,,,,,,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        var rows = ledgerRows(result.summary().runId());
        assertThat(rows.get(2L).state()).isEqualTo(RowState.INVALID);
        assertThat(rows.get(12L).state()).isEqualTo(RowState.INVALID);
        assertThat(rows.get(2L).errorMessage()).contains("conflicting actions for one device (line 2 Store, line 12 Retrieval)");
        assertThat(posts()).hasSize(9);
        assertThat(posts()).noneMatch((r) -> r.getBody().utf8().contains("\"K1\""));
    }

    @Test
    void checksEveryDeviceOfALargeFileInBatches() throws IOException {
        // given: more conflicting devices and more duplicates than one batch of marks, one device
        // repeated more often than that, all shuffled through the file
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            rows.add("C" + i + ",Store,John Doe,john@acme.com,,,,,,,,");
            rows.add("c" + i + ",Retrieval,John Doe,john@acme.com,,,,,,,,");
        }
        for (int i = 0; i < 1_100; i++) {
            rows.add("D" + i + ",Store,Jane Roe,jane@acme.com,,,,,,,,");
            rows.add("D" + i + ",Store,Jane Roe,jane@acme.com,,,,,,,,");
        }
        for (int i = 0; i < 1_500; i++) {
            rows.add("M1,Retrieval,Max Moe,max@acme.com,,,,,,,,");
        }
        java.util.Collections.shuffle(rows, new java.util.Random(7));
        Path file = csv(rows.toArray(String[]::new));

        // when
        RunResult validation = this.runs.validate(file);

        // then
        assertThat(received).isEmpty();
        Map<Long, LedgerRow> ledger = ledgerRows(validation.summary().runId());
        Map<String, Long> firstLine = new java.util.HashMap<>();
        Map<RowState, Integer> states = new java.util.EnumMap<>(RowState.class);
        ledger.forEach((line, row) -> {
            states.merge(row.state(), 1, Integer::sum);
            String serial = row.serialNumber().toUpperCase(java.util.Locale.ROOT);
            if (serial.startsWith("C")) {
                assertThat(row.state()).isEqualTo(RowState.INVALID);
                assertThat(row.errorMessage()).startsWith("conflicting actions for one device (line ");
            }
            else if (firstLine.putIfAbsent(serial, line) == null) {
                assertThat(row.state()).as("line %d", line).isEqualTo(RowState.VALID);
            }
            else {
                assertThat(row.state()).as("line %d", line).isEqualTo(RowState.DUPLICATE);
                assertThat(row.errorMessage()).isEqualTo("same device and action as line " + firstLine.get(serial));
            }
        });
        assertThat(states).containsEntry(RowState.INVALID, 2_400)
            .containsEntry(RowState.DUPLICATE, 1_100 + 1_499)
            .containsEntry(RowState.VALID, 1_100 + 1);
        assertThat(validation.summary().totalRecords()).isEqualTo(6_100);
        assertThat(validation.summary().outcomes()).containsEntry("DUPLICATE", 2_599L);
        assertThat(validation.summary().actionTypes()).containsOnly(Map.entry("Retrieval", 1L),
                Map.entry("Store", 1_100L));
    }

    @Test
    void runsOfDifferentFilesStartTogether() throws Exception {
        // given: files started three at a time, as serve and the CLI (or several instances sharing
        // one database) may do; a few rounds, because a conflict needs the launches to overlap
        int rounds = 5;
        int together = 3;
        ExecutorService pool = Executors.newFixedThreadPool(together);
        List<RunResult> results = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RunResult>> started = new ArrayList<>();
                for (int i = 0; i < together; i++) {
                    Path file = csv("T" + round + "-" + i + ",Store,John Doe,john@acme.com,,,,,,,,");
                    started.add(pool.submit(() -> {
                        go.await();
                        return this.runs.run(RunRequest.of(file));
                    }));
                }

                // when
                go.countDown();
                for (Future<RunResult> result : started) {
                    results.add(result.get(60, TimeUnit.SECONDS));
                }
            }
        }
        finally {
            pool.shutdownNow();
        }

        // then: each is a run of its own, and none was refused because of the others
        assertThat(results).extracting(RunResult::message).containsOnlyNulls();
        assertThat(results).extracting(RunResult::exitCode).containsOnly(ExitCodes.OK);
        assertThat(results).extracting((result) -> result.summary().runId()).doesNotHaveDuplicates();
        assertThat(posts()).hasSize(rounds * together);
    }

    @Test
    void stopsAtOnceWhenTheKeyIsRejected() throws IOException {
        // given
        responder.set((request) -> json(401,
                "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"Missing or invalid Authorization header\",\"details\":null}}"));
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add("S" + i + ",Store,John Doe,john@acme.com,,,,,,,,");
        }

        // when
        RunResult result = this.runs.run(RunRequest.of(csv(rows.toArray(String[]::new))));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.summary().status()).isEqualTo("FAILED");
        assertThat(result.message()).contains("API key rejected").doesNotContain(KEY);
        assertThat(posts().size()).isLessThanOrEqualTo(200);
        assertThat(result.summary().count("VALID")).isGreaterThanOrEqualTo(300);
        assertThat(result.summary().count("SUBMITTED")).isZero();
    }

}
