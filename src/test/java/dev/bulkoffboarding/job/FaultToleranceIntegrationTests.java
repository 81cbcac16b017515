package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.Fault;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submit step against a vendor that misbehaves the way real ones do. Every case asserts what
 * reached the vendor: each valid row created exactly once, and every record in one final state.
 * A contract: it runs once per database ({@link FaultToleranceOnH2IntegrationTests},
 * {@link FaultToleranceOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=8", "quipteams.response-timeout=700ms",
        "quipteams.max-attempts=8", "quipteams.settle-delay=100ms", "offboarding.chunk-size=25" })
@ActiveProfiles("test")
abstract class FaultToleranceIntegrationTests {

    // One vendor per subclass's context: each database variant starts its own and closes it after.
    @AutoClose
    static SandboxServer vendor;

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @Autowired
    DeviceClaims claims;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxServer started = SandboxServer.start(SandboxProperties.defaults()
            .withLatency(Duration.ofMillis(5))
            .withRequestsPerMinute(0));
        vendor = started;
        SandboxVendor.use(started, registry);
    }

    @BeforeEach
    void reset() {
        vendor.reset();
        vendor.setLatency(Duration.ofMillis(5));
        vendor.setRequestsPerMinute(0);
    }

    Path rows(int count) throws IOException {
        String prefix = "F" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email\n");
        for (int i = 1; i <= count; i++) {
            csv.append(prefix).append(i).append(",Store,Person ").append(i).append(",p").append(i)
                .append("@acme.com\n");
        }
        Path file = this.dir.resolve(prefix + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    /** Each valid row of the file created exactly once at the vendor, and all rows SUBMITTED. */
    void assertExactlyOnce(RunResult result, int count) {
        Map<String, Long> perSerial = vendor.createdActions().stream()
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()));
        assertThat(perSerial).hasSize(count);
        assertThat(perSerial.values()).allMatch((n) -> n == 1L);
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(result.summary().runId(), (row) -> rows.put(row.line(), row));
        assertThat(rows).hasSize(count);
        assertThat(rows.values()).allMatch((row) -> row.state() == RowState.SUBMITTED, "all SUBMITTED");
        assertThat(rows.values()).extracting(LedgerRow::vendorId).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void survivesTransientFailuresBeforeCreation() throws IOException {
        // given: the first 30 POSTs fail before anything is created
        for (int i = 0; i < 30; i++) {
            vendor.enqueueFaults(Fault.FAIL_BEFORE_CREATE);
        }

        // when
        RunResult result = this.runs.run(RunRequest.of(rows(120)));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertExactlyOnce(result, 120);
    }

    @Test
    void neverResendsWhatTheVendorCreatedBeforeFailing() throws IOException {
        // given: 500s after the action was created, responses held past the client's timeout, and
        // connections reset after creation
        vendor.enqueueFaults(Fault.FAIL_AFTER_CREATE, Fault.DELAY_AFTER_CREATE, Fault.RESET_AFTER_CREATE,
                Fault.FAIL_AFTER_CREATE, Fault.FAIL_BEFORE_CREATE, Fault.RESET_AFTER_CREATE, Fault.DELAY_AFTER_CREATE,
                Fault.FAIL_AFTER_CREATE);

        // when
        RunResult result = this.runs.run(RunRequest.of(rows(60)));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertExactlyOnce(result, 60);
        assertThat(vendor.requests()).anyMatch((r) -> r.method().equals("GET"));
    }

    @Test
    void sendsNothingDuringARetryAfterPause() throws IOException {
        // given: the first three POSTs are refused with 429 and Retry-After: 2
        vendor.enqueueFaults(Fault.RATE_LIMIT, Fault.RATE_LIMIT, Fault.RATE_LIMIT);

        // when
        RunResult result = this.runs.run(RunRequest.of(rows(40)));

        // then: the three 429s happened, and each refused row came back no sooner than the reset
        // the vendor asked for (a busy machine can only make that later)
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertExactlyOnce(result, 40);
        List<SandboxServer.LoggedRequest> posts = vendor.requests()
            .stream()
            .filter((r) -> r.method().equals("POST"))
            .sorted(Comparator.comparing(SandboxServer.LoggedRequest::receivedAt))
            .toList();
        List<SandboxServer.LoggedRequest> limited = posts.stream().filter((r) -> r.status() == 429).toList();
        assertThat(limited).hasSize(3);
        for (SandboxServer.LoggedRequest refused : limited) {
            Instant reset = refused.receivedAt().plusSeconds(2);
            assertThat(posts).filteredOn((r) -> r.idempotencyKey().equals(refused.idempotencyKey()))
                .filteredOn((r) -> r.receivedAt().isAfter(refused.receivedAt()))
                .isNotEmpty()
                .allSatisfy((again) -> assertThat(again.receivedAt()).isAfterOrEqualTo(reset));
        }
        // ...and the pause held the other rows too: before the first reset arrive only the first round
        // of eight (max-in-flight) and what left while its answers were being read, not the whole
        // file, which a client ignoring Retry-After sends in a fraction of those two seconds
        Instant firstReset = limited.get(0).receivedAt().plusSeconds(2);
        assertThat(posts).filteredOn((r) -> r.receivedAt().isBefore(firstReset)).hasSizeLessThanOrEqualTo(2 * 8);
    }

    @Test
    void anOutageFailsTheRunWhichThenResumesWithoutDuplicates() throws Exception {
        // given: a run of which the first 40 rows were sent (a canary), and a vendor that is down
        // when the rest of it goes out
        Path file = rows(150);
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(40L));
        assertThat(vendor.createdActions()).hasSize(40);
        vendor.outage(Duration.ofMinutes(10));

        // when
        RunResult first = this.runs.run(RunRequest.of(file));

        // then: the run stops, restartable, with a message the operator understands, and nothing
        // was created during the outage
        assertThat(first.summary().runId()).isEqualTo(canary.summary().runId());
        assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(first.message()).contains("Quipteams unavailable since");
        assertThat(vendor.createdActions()).hasSize(40);
        assertThat(vendor.requests()).anyMatch((r) -> r.status() == 503);

        // when: the vendor is back and the same command runs again
        vendor.outage(Duration.ZERO);
        RunResult second = this.runs.run(RunRequest.of(file));

        // then
        assertThat(second.summary().runId()).isEqualTo(first.summary().runId());
        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertExactlyOnce(second, 150);
    }

    @Test
    void aKeyRevokedMidRunStopsTheRunAndLeavesTheRestUntouched() throws Exception {
        // given
        Path file = rows(200);
        vendor.setLatency(Duration.ofMillis(20));
        CompletableFuture<Void> revoke = CompletableFuture.runAsync(() -> {
            while (vendor.createdActions().size() < 30) {
                Thread.onSpinWait();
            }
            vendor.revokeKey(SandboxServer.sandboxKey());
        });

        // when
        RunResult result = this.runs.run(RunRequest.of(file));
        revoke.get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains("API key rejected");
        Map<String, Long> perSerial = vendor.createdActions().stream()
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()));
        assertThat(perSerial.values()).allMatch((n) -> n == 1L);
        // The 401 cancels the requests still in flight; the vendor may have created some of them,
        // and their rows stay SUBMITTING for a restart to reconcile. So: every created action is a
        // SUBMITTED or SUBMITTING row, and every SUBMITTED row was created.
        Map<String, RowState> stateBySerial = new TreeMap<>();
        this.ledger.forEachRow(result.summary().runId(), (row) -> stateBySerial.put(row.serialNumber(), row.state()));
        assertThat(perSerial.keySet()).allMatch(
                (serial) -> EnumSet.of(RowState.SUBMITTED, RowState.SUBMITTING).contains(stateBySerial.get(serial)),
                "created at the vendor, so SUBMITTED or SUBMITTING");
        assertThat(stateBySerial).allSatisfy((serial, state) -> {
            if (state == RowState.SUBMITTED) {
                assertThat(perSerial).containsKey(serial);
            }
        });
        assertThat(result.summary().count("SUBMITTED")).isBetween(perSerial.size() - 8L, (long) perSerial.size());
        assertThat(result.summary().count("VALID")).isGreaterThanOrEqualTo(150);
        assertThat(result.summary().count("SUBMITTED") + result.summary().count("VALID")
                + result.summary().count("SUBMITTING")).isEqualTo(200);
    }

    @Test
    void aCanarySendsTheFirstRowsAndTheNextRunTheRest() throws IOException {
        // given
        Path file = rows(30);

        // when
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(5L));

        // then
        assertThat(canary.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(canary.summary().status()).isEqualTo("STOPPED");
        assertThat(vendor.createdActions()).hasSize(5);
        assertThat(canary.message()).contains("25 rows are left");

        // when
        RunResult rest = this.runs.run(RunRequest.of(file));

        // then
        assertThat(rest.summary().runId()).isEqualTo(canary.summary().runId());
        assertThat(rest.summary().status()).isEqualTo("COMPLETED");
        assertExactlyOnce(rest, 30);
    }

    @Test
    void aRunRestartedAfterACrashReconcilesBeforeSending() throws IOException {
        // given: a run whose rows were left SUBMITTING by a crash after the vendor created two of them
        Path file = rows(10);
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(2L));
        long runId = canary.summary().runId();
        // pretend the process died between the vendor's answers and our commit (lines 2, 3), and
        // after committing SUBMITTING but before sending (lines 4 to 6)
        new JdbcTemplate(this.dataSource).update("update offboarding_row set state = 'SUBMITTING', vendor_id = null, "
                + "action_id = null where run_id = ? and line_number in (2, 3)", runId);
        List<LedgerRow> unsent = new ArrayList<>();
        this.ledger.forEachRow(runId, (row) -> {
            if (row.line() >= 4 && row.line() <= 6) {
                unsent.add(row);
            }
        });
        this.claims.claim(runId, true, Instant.now(), unsent, Instant.now());

        // when
        RunResult resumed = this.runs.run(RunRequest.of(file));

        // then: lines 2 and 3 were found by reconciliation, not sent again
        assertThat(resumed.exitCode()).isEqualTo(ExitCodes.OK);
        assertExactlyOnce(resumed, 10);
    }

}
