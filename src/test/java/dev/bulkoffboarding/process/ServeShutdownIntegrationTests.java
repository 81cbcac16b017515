package dev.bulkoffboarding.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve} as a container runs it, stopped with SIGTERM ({@code docker stop}): idle, it exits by
 * itself at once instead of waiting for its next scheduled pass; with an inbox file being submitted,
 * the run stops after its current chunk, every request that left is recorded, and a restart sends
 * the rest exactly once. The vendor is the sandbox in this test's JVM, so the test sees every
 * request that reached it.
 */
class ServeShutdownIntegrationTests {

    static final int ROWS = 200;

    static final int CHUNK = 20;

    static final String USER = "ops";

    static final String PASSWORD = "ops-password";

    /** Start-up of the jar on a busy two-core machine; only a bound, never a figure. */
    static final Duration START_UP = Duration.ofSeconds(120);

    static final Pattern SERVING = Pattern.compile("Serving the review UI at http://127\\.0\\.0\\.1:(\\d+)/");

    static final Pattern NEXT_PASS = Pattern.compile("Inbox: checking .* next at (\\S+)\\.");

    static final String DEVICE_ACTIONS = "/api/v1/device-actions";

    @TempDir
    Path dir;

    SandboxServer vendor;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void vendor() {
        this.vendor = SandboxServer.start(SandboxProperties.defaults().withRequestsPerMinute(0));
    }

    @AfterEach
    void stop() {
        this.vendor.close();
    }

    @Test
    void idleServeExitsOnSigtermBeforeItsNextScheduledPassWithExitCodeZero() throws Exception {
        // given: a schedule that fires a few minutes from now, and a complete file waiting for it
        Instant scheduled = Instant.now().plus(START_UP).plusSeconds(30);
        ZonedDateTime at = scheduled.atZone(ZoneOffset.UTC);
        Path waiting = Files.writeString(inbox().resolve("tonight.csv"), sheet());
        try (ApplicationProcess serve = startServe(String.format("%d %d %d * * *", at.getSecond(), at.getMinute(),
                at.getHour()), "--offboarding.schedule.zone=UTC")) {
            awaitServing(serve);
            Instant nextPass = nextPass(serve);
            assertThat(nextPass).as(serve.output()).isAfter(Instant.now());

            // when
            serve.terminate();
            // Liveness bound only: before the fix, this process waited 90 s for the executor that
            // held the next pass, and ran that pass meanwhile if it came first.
            int exitCode = serve.waitForExit(Duration.ofSeconds(45));
            Instant exited = Instant.now();

            // then: ended by itself, cleanly, before the pass; the file still waits in the inbox
            assertThat(exitCode).as(serve.output()).isEqualTo(ExitCodes.OK);
            assertThat(exited).as(serve.output()).isBefore(nextPass);
            assertThat(waiting).exists();
            assertThat(serve.output()).doesNotContain("Inbox: running").doesNotContain("Timed out while waiting");
        }
        assertThat(posts()).isEmpty();
    }

    @Test
    void sigtermStopsAnInboxRunAfterItsChunkAndARestartSendsTheRestOnce() throws Exception {
        // given: a file in the inbox, being submitted against a slow vendor
        this.vendor.setLatency(Duration.ofMillis(250));
        Files.writeString(inbox().resolve("leavers.csv"), sheet());
        String firstOutput;
        try (ApplicationProcess serve = startServe("-")) {
            int port = awaitServing(serve);
            assertThat(post(port, "/api/inbox/check").statusCode()).as(serve.output()).isEqualTo(202);
            awaitOrFail(() -> this.vendor.createdActions().size() >= CHUNK + CHUNK / 2, Duration.ofMinutes(2),
                    "the run to be half-way through its second chunk", serve);

            // when
            serve.terminate();
            int exitCode = serve.waitForExit(Duration.ofSeconds(90));

            // then: stopped by itself, cleanly
            firstOutput = serve.output();
            assertThat(exitCode).as(firstOutput).isEqualTo(ExitCodes.OK);
        }
        assertThat(firstOutput).contains("Stopping: letting the requests in flight finish");
        long runId = single("select id from offboarding_run where kind = 'RUN'");
        assertThat(lastStatus(runId)).as(firstOutput).isEqualTo("STOPPED");
        Map<String, Integer> states = states();
        int submitted = states.getOrDefault("SUBMITTED", 0);
        assertThat(submitted).as("%s\n%s", states, firstOutput).isPositive().isLessThan(ROWS);
        assertThat(submitted % CHUNK).as("rows of a chunk left half-done: %s", states).isZero();
        assertThat(states).as(firstOutput).containsOnlyKeys("SUBMITTED", "VALID");
        assertThat(states.get("VALID")).isEqualTo(ROWS - submitted);
        // every request that left was answered and recorded, and nothing left after the stop
        assertThat(posts()).hasSize(submitted);
        assertThat(createdSerials()).containsExactlyInAnyOrderElementsOf(serials("SUBMITTED"));
        assertThat(inbox().resolve("failed")).isDirectoryContaining("glob:**leavers.csv");

        // when: serve again, and the run restarted as an operator would
        try (ApplicationProcess serve = startServe("-")) {
            int port = awaitServing(serve);
            assertThat(post(port, "/api/runs/" + runId + "/restart").statusCode()).as(serve.output()).isEqualTo(202);
            awaitOrFail(() -> "COMPLETED".equals(lastStatusOrNull(runId)), Duration.ofMinutes(3),
                    "the restarted run to complete", serve);
            serve.terminate();
            assertThat(serve.waitForExit(Duration.ofSeconds(60))).as(serve.output()).isEqualTo(ExitCodes.OK);
        }

        // then: the rest was sent, and every device exactly once
        assertThat(posts()).hasSize(ROWS);
        Map<String, Long> perSerial = createdSerials().stream()
            .collect(Collectors.groupingBy((serial) -> serial, Collectors.counting()));
        assertThat(perSerial).hasSize(ROWS).allSatisfy((serial, count) -> assertThat(count).as(serial).isOne());
        assertThat(states()).containsOnlyKeys("SUBMITTED");
        assertThat(inbox().resolve("archive")).isDirectoryContaining("glob:**leavers.csv");
    }

    ApplicationProcess startServe(String cron, String... more) {
        List<String> args = new ArrayList<>(List.of("serve", "--server.port=0",
                "--spring.datasource.url=" + database(),
                "--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports"),
                "--offboarding.web.upload-dir=" + this.dir.resolve("data").resolve("uploads"),
                "--offboarding.inbox.dir=" + this.dir.resolve("inbox"),
                "--offboarding.inbox.stability-interval=200ms",
                "--offboarding.schedule.cron=" + cron,
                "--offboarding.chunk-size=" + CHUNK,
                "--offboarding.web.users." + USER + ".password={bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--offboarding.web.users." + USER + ".role=operator",
                "--quipteams.base-url=" + this.vendor.baseUri(),
                "--quipteams.api-key=" + SandboxServer.sandboxKey(),
                "--quipteams.max-in-flight=4",
                "--quipteams.requests-per-minute=60000"));
        args.addAll(List.of(more));
        return ApplicationProcess.start(this.dir, Map.of(), List.of(), args);
    }

    /** Waits for serve to say where it listens, and returns the port. */
    static int awaitServing(ApplicationProcess serve) throws InterruptedException {
        awaitOrFail(() -> SERVING.matcher(serve.output()).find() || !serve.isAlive(), START_UP, "serve to start",
                serve);
        Matcher serving = SERVING.matcher(serve.output());
        assertThat(serving.find()).as("serve ended before serving:\n%s", serve.output()).isTrue();
        return Integer.parseInt(serving.group(1));
    }

    static Instant nextPass(ApplicationProcess serve) {
        Matcher next = NEXT_PASS.matcher(serve.output());
        assertThat(next.find()).as(serve.output()).isTrue();
        return Instant.parse(next.group(1));
    }

    static void awaitOrFail(BooleanSupplier condition, Duration timeout, String what, ApplicationProcess serve)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what + " after " + timeout + ":\n" + serve.output());
            }
            Thread.sleep(50);
        }
    }

    HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Basic " + credentials)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    Path inbox() throws IOException {
        return Files.createDirectories(this.dir.resolve("inbox"));
    }

    static String sheet() {
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("TERM-").append(i).append(i % 2 == 0 ? ",Store," : ",Retrieval,").append("Person ").append(i)
                .append(",p").append(i).append("@acme.com\n");
        }
        return csv.toString();
    }

    List<SandboxServer.LoggedRequest> posts() {
        return this.vendor.requests().stream()
            .filter((request) -> "POST".equals(request.method()) && DEVICE_ACTIONS.equals(request.pathAndQuery()))
            .toList();
    }

    List<String> createdSerials() {
        return this.vendor.createdActions().stream().map(SandboxServer.CreatedAction::serialNumber).toList();
    }

    String database() {
        return "jdbc:h2:file:" + this.dir.resolve("data").resolve("bulk-offboarding") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    Map<String, Integer> states() throws SQLException {
        Map<String, Integer> states = new HashMap<>();
        query("select state, count(*) from offboarding_row group by state",
                (rs) -> states.put(rs.getString(1), rs.getInt(2)));
        return states;
    }

    List<String> serials(String state) throws SQLException {
        List<String> serials = new ArrayList<>();
        query("select serial_number from offboarding_row where state = '" + state + "'",
                (rs) -> serials.add(rs.getString(1)));
        return serials;
    }

    long single(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        query(sql, (rs) -> values.add(rs.getLong(1)));
        assertThat(values).as(sql).hasSize(1);
        return values.get(0);
    }

    String lastStatus(long runId) throws SQLException {
        List<String> status = new ArrayList<>();
        query("select status from batch_job_execution where job_instance_id = " + runId
                + " order by job_execution_id desc", (rs) -> status.add(rs.getString(1)));
        return status.get(0);
    }

    String lastStatusOrNull(long runId) {
        try {
            return lastStatus(runId);
        }
        catch (SQLException | IndexOutOfBoundsException ex) {
            return null;
        }
    }

    interface RowHandler {

        void handle(ResultSet rs) throws SQLException;

    }

    void query(String sql, RowHandler handler) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database(), "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                handler.handle(rs);
            }
        }
    }

}
