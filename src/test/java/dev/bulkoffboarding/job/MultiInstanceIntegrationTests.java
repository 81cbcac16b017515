package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.ApplicationProcess;
import dev.bulkoffboarding.support.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances of the application sharing one PostgreSQL, as real processes started with
 * {@code java -jar}: a run belongs to one process at a time however it is started, and what a
 * killed process left behind is resumed by the next one without sending anything twice. The
 * vendor is a sandbox in this JVM, so what reached it outlives the processes.
 */
class MultiInstanceIntegrationTests {

    /** Longer than a cold start of the application on a busy two-core machine, several times over. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(180);

    static final String REFUSED = "This file is being run by another process right now: nothing was sent by this one.";

    static final int ROWS = 40;

    static SandboxServer vendor;

    @TempDir
    Path dir;

    PostgresDatabase database;

    final List<ApplicationProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startVendor() {
        vendor = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO).withRequestsPerMinute(0));
    }

    @AfterAll
    static void stopVendor() {
        vendor.close();
    }

    @BeforeEach
    void freshDatabaseAndVendor() {
        this.database = PostgresDatabase.create();
        vendor.reset();
        vendor.setLatency(Duration.ZERO);
    }

    @AfterEach
    void killLeftoversAndDropTheDatabase() {
        try {
            this.processes.forEach(ApplicationProcess::kill);
        }
        finally {
            this.database.close();
        }
    }

    @Test
    void twoProcessesStartedOnOneFileTogetherRunItOnce() throws Exception {
        // given: the vendor answers slowly until one process has been turned away, so that the
        // run outlasts the other process's start-up however busy the machine is
        Path file = rows(ROWS);
        vendor.setLatency(Duration.ofSeconds(2));

        // when: both through the 'postgres' profile, as docker-compose.yml configures the application
        ApplicationProcess one = start(postgresProfile(), List.of(), "run", file.toString());
        ApplicationProcess two = start(postgresProfile(), List.of(), "run", file.toString());
        ApplicationProcess turnedAway = ApplicationProcess.firstToExit(PROCESS_TIMEOUT, one, two);
        ApplicationProcess running = (turnedAway == one) ? two : one;
        boolean overlapped = running.isAlive();
        vendor.setLatency(Duration.ZERO);
        int turnedAwayExit = turnedAway.waitForExit(PROCESS_TIMEOUT);
        int runningExit = running.waitForExit(PROCESS_TIMEOUT);

        // then: one ran the file, the other said so and sent nothing
        assertThat(overlapped).as("the second process was turned away while the first still ran").isTrue();
        assertThat(turnedAwayExit).as(turnedAway.output()).isEqualTo(ExitCodes.FAILED);
        assertThat(turnedAway.output()).contains(REFUSED);
        assertThat(runningExit).as(running.output()).isEqualTo(ExitCodes.OK);
        assertEveryRowCreatedOnce(file, ROWS);
        assertThat(posts()).isEqualTo(ROWS);
        assertThat(executions()).isEqualTo(1);
    }

    @Test
    void twoRestartsOfOneFailedRunResumeItOnce() throws Exception {
        // given: a run that failed at its first request, because its API key had been revoked
        Path file = rows(ROWS);
        vendor.revokeKey("qk_test_revoked");
        Map<String, String> revoked = datasourceVariables();
        revoked.put("QUIPTEAMS_API_KEY", "qk_test_revoked");
        ApplicationProcess failed = start(revoked, List.of(), "run", file.toString());
        assertThat(failed.waitForExit(PROCESS_TIMEOUT)).as(failed.output()).isEqualTo(ExitCodes.FAILED);
        assertThat(vendor.createdActions()).isEmpty();
        long runId = this.database.jdbcTemplate().queryForObject("select id from offboarding_run", Long.class);
        vendor.setLatency(Duration.ofSeconds(2));

        // when: two operators restart it at the same moment, through SPRING_DATASOURCE_* variables
        ApplicationProcess one = start(datasourceVariables(), List.of(), "restart", Long.toString(runId));
        ApplicationProcess two = start(datasourceVariables(), List.of(), "restart", Long.toString(runId));
        ApplicationProcess turnedAway = ApplicationProcess.firstToExit(PROCESS_TIMEOUT, one, two);
        ApplicationProcess running = (turnedAway == one) ? two : one;
        boolean overlapped = running.isAlive();
        vendor.setLatency(Duration.ZERO);
        int turnedAwayExit = turnedAway.waitForExit(PROCESS_TIMEOUT);
        int runningExit = running.waitForExit(PROCESS_TIMEOUT);

        // then: one restart resumed the run, the other was turned away before sending anything
        assertThat(overlapped).as("the second restart was turned away while the first still ran").isTrue();
        assertThat(turnedAwayExit).as(turnedAway.output()).isEqualTo(ExitCodes.FAILED);
        assertThat(turnedAway.output()).contains(REFUSED);
        assertThat(runningExit).as(running.output()).isEqualTo(ExitCodes.OK);
        assertThat(running.output()).contains("Run " + runId + " completed: " + ROWS + " submitted");
        assertEveryRowCreatedOnce(file, ROWS);
        assertThat(executions()).isEqualTo(2);
    }

    @Test
    void aRunKilledInOneTimeZoneIsResumedInAnotherWithoutResending() throws Exception {
        // given: a process in Auckland (UTC+12/+13) whose requests the vendor answers slowly
        Path file = rows(ROWS);
        vendor.setLatency(Duration.ofMillis(200));
        ApplicationProcess killed = start(datasourceVariables(), List.of("-Duser.timezone=Pacific/Auckland"), "run",
                file.toString());
        awaitCreated(6, killed);
        // from now on the vendor creates each action and holds the answer: the rows are created,
        // and the process never learns it
        vendor.setLatency(Duration.ofMinutes(2));
        awaitCreated(vendor.createdActions().size() + 1, killed);

        // when: it is killed (no shutdown hook runs), and the same file is run from UTC
        killed.kill();
        vendor.setLatency(Duration.ZERO);
        ApplicationProcess next = start(datasourceVariables(), List.of("-Duser.timezone=UTC"), "run", file.toString());
        int exit = next.waitForExit(PROCESS_TIMEOUT);

        // then: the killed run was recovered and resumed, and the rows the vendor had created
        // were found by reconciliation (which looks for actions created since the attempt), not sent again
        assertThat(exit).as(next.output()).isEqualTo(ExitCodes.OK);
        assertThat(next.output()).contains("by a process that no longer runs");
        assertEveryRowCreatedOnce(file, ROWS);
        assertThat(executions()).isEqualTo(2);
    }

    ApplicationProcess start(Map<String, String> environment, List<String> jvmOptions, String... command) {
        List<String> arguments = new ArrayList<>(List.of(command));
        arguments.addAll(List.of("--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports"),
                "--quipteams.base-url=" + vendor.baseUri(), "--quipteams.max-in-flight=2",
                "--quipteams.requests-per-minute=60000", "--quipteams.settle-delay=100ms",
                "--quipteams.connect-timeout=1s", "--quipteams.response-timeout=2s",
                "--quipteams.initial-backoff=10ms", "--quipteams.max-backoff=50ms"));
        Map<String, String> variables = new HashMap<>(Map.of("QUIPTEAMS_API_KEY", SandboxServer.sandboxKey()));
        variables.putAll(environment);
        ApplicationProcess process = ApplicationProcess.start(this.dir, variables, jvmOptions, arguments);
        this.processes.add(process);
        return process;
    }

    /** The 'postgres' profile of application-postgres.yml and its environment variables. */
    Map<String, String> postgresProfile() {
        return new HashMap<>(Map.of("SPRING_PROFILES_ACTIVE", "postgres", "DATABASE_URL", this.database.url(),
                "DATABASE_USER", this.database.username(), "DATABASE_PASSWORD", this.database.password()));
    }

    /** Spring Boot's own variables, no profile. */
    Map<String, String> datasourceVariables() {
        return new HashMap<>(Map.of("SPRING_DATASOURCE_URL", this.database.url(), "SPRING_DATASOURCE_USERNAME",
                this.database.username(), "SPRING_DATASOURCE_PASSWORD", this.database.password()));
    }

    Path rows(int count) throws IOException {
        String prefix = "M" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email\n");
        for (int i = 1; i <= count; i++) {
            csv.append(prefix).append(i).append(",Store,Person ").append(i).append(",p").append(i).append("@acme.com\n");
        }
        Path file = this.dir.resolve(prefix + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    void awaitCreated(int count, ApplicationProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (vendor.createdActions().size() < count) {
            assertThat(process.isAlive()).as("%s ended before the vendor had %d actions:%n%s", process, count,
                    process.output()).isTrue();
            assertThat(System.nanoTime()).as("the vendor had %d actions in time", count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every row of the file created exactly once at the vendor, and every row SUBMITTED in the ledger. */
    void assertEveryRowCreatedOnce(Path file, int rows) throws IOException {
        String prefix = file.getFileName().toString().replace(".csv", "");
        Map<String, Long> perSerial = vendor.createdActions().stream()
            .filter((action) -> action.serialNumber().startsWith(prefix))
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()));
        assertThat(perSerial).hasSize(rows);
        assertThat(perSerial).allSatisfy((serial, count) -> assertThat(count).as(serial).isEqualTo(1L));
        assertThat(this.database.jdbcTemplate().queryForList("select state from offboarding_row", String.class))
            .hasSize(rows)
            .containsOnly("SUBMITTED");
    }

    long posts() {
        return vendor.requests().stream().filter((request) -> request.method().equals("POST")).count();
    }

    long executions() {
        return this.database.jdbcTemplate().queryForObject("select count(*) from batch_job_execution", Long.class);
    }

}
