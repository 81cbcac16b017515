package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One device, one action across runs: the database's claim decides which row of which run may
 * send a device action, at the moment the row is about to be sent. Every case asserts what the
 * vendor holds. A contract: it runs once per database ({@link DeviceClaimOnH2IntegrationTests},
 * {@link DeviceClaimOnPostgresIntegrationTests}), since the database decides the outcome.
 */
@SandboxVendorTest(properties = { "quipteams.max-attempts=2", "quipteams.max-in-flight=4", "offboarding.chunk-size=10" })
abstract class DeviceClaimIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email\n";

    @Autowired
    SandboxServer vendor;

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @Autowired
    DeviceClaims claims;

    @BeforeEach
    void reset() {
        vendor.reset();
    }

    @Test
    void aDeviceAFailedRunStillHandlesIsHeldByTheEditedFileAndCreatedOnceByTheRestart() throws IOException {
        // given: run A, whose device X gets 503s until A's attempts run out
        String prefix = prefix();
        String x = prefix + "X";
        Path original = file("a.csv", row(x, "Person X"), row(prefix + "Y1", "Person Y"), row(prefix + "Y2", "Z"));
        vendor.makeUnavailable(x);
        RunResult a = this.runs.run(RunRequest.of(original));
        assertThat(a.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rows(a).get(2L).state()).isEqualTo(RowState.FAILED);

        // when: the vendor is back, and the operator runs the file with an unrelated cell fixed
        vendor.makeAvailable(x);
        Path edited = file("b.csv", row(x, "Person X"), row(prefix + "Y1", "Person Y (fixed)"),
                row(prefix + "Y2", "Z"));
        RunResult b = this.runs.run(RunRequest.of(edited));

        // then: B does not send X, says why, and is not finished
        long runA = a.summary().runId();
        assertThat(b.summary().runId()).isNotEqualTo(runA);
        assertThat(b.exitCode()).isEqualTo(ExitCodes.FAILED);
        LedgerRow held = rows(b).get(2L);
        assertThat(held.state()).isEqualTo(RowState.HELD);
        assertThat(held.relatedRunId()).isEqualTo(runA);
        assertThat(held.errorMessage()).isEqualTo("run " + runA + " is still handling this device: finish run " + runA
                + " (`restart " + runA + "`) first");
        assertThat(b.summary().count("HELD")).isEqualTo(1);
        assertThat(vendor.createdCount(x, "Store")).isZero();

        // when: A is restarted, then B is run again
        RunResult restartedA = this.runs.restart(runA);
        RunResult againB = this.runs.run(RunRequest.of(edited));

        // then: X exists once, created by A; B's row says so
        assertThat(restartedA.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(againB.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(againB.summary().runId()).isEqualTo(b.summary().runId());
        assertThat(vendor.createdCount(x, "Store")).isEqualTo(1);
        assertThat(rows(againB).get(2L).state()).isEqualTo(RowState.ALREADY_SUBMITTED);
        assertThat(rows(againB).get(2L).actionId()).isEqualTo(rows(restartedA).get(2L).actionId());
        assertEveryDeviceCreatedOnce();
    }

    @Test
    void noDedupSendsASubmittedDeviceAgainButNeverOneAnotherRunStillHandles() throws IOException {
        // given: X submitted by one run, W left failing by another
        String prefix = prefix();
        String x = prefix + "X";
        String w = prefix + "W";
        RunResult first = this.runs.run(RunRequest.of(file("first.csv", row(x, "Person X"))));
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
        vendor.makeUnavailable(w);
        RunResult failing = this.runs.run(RunRequest.of(file("failing.csv", row(w, "Person W"))));
        assertThat(failing.exitCode()).isEqualTo(ExitCodes.FAILED);
        vendor.makeAvailable(w);

        // when: a file with both runs on purpose with --no-dedup
        Path both = file("both.csv", row(x, "Person X"), row(w, "Person W"));
        RunResult again = this.runs.run(RunRequest.of(both).withDedup(false));

        // then: X is sent a second time on purpose; W is not, while the other run still handles it
        assertThat(vendor.createdCount(x, "Store")).isEqualTo(2);
        assertThat(vendor.createdCount(w, "Store")).isZero();
        assertThat(rows(again).get(3L).state()).isEqualTo(RowState.HELD);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void aRejectedRowGivesUpItsDevice() throws IOException {
        // given: a serial the vendor does not know is rejected by one run
        String unknown = "UNKNOWN-" + prefix();
        RunResult first = this.runs.run(RunRequest.of(file("first.csv", row(unknown, "Person U"))));
        assertThat(rows(first).get(2L).state()).isEqualTo(RowState.REJECTED);

        // when: another file names the device again
        RunResult second = this.runs.run(RunRequest.of(file("second.csv", row(unknown, "Person U (again)"))));

        // then: it is sent (and rejected again), not held
        assertThat(rows(second).get(2L).state()).isEqualTo(RowState.REJECTED);
        assertThat(vendor.requests().stream().filter((r) -> r.method().equals("POST")).count()).isEqualTo(2);
    }

    @Test
    void aPersonCanReleaseADeviceARunWillNeverFinish() throws IOException {
        // given: X held by a failed run
        String x = prefix() + "X";
        vendor.makeUnavailable(x);
        RunResult failed = this.runs.run(RunRequest.of(file("a.csv", row(x, "Person X"))));
        vendor.makeAvailable(x);
        RunRecord run = this.ledger.findRun(failed.summary().runId()).orElseThrow();
        var claim = this.claims.find(x.toUpperCase(), "Store", run.sandbox()).orElseThrow();
        assertThat(claim.runId()).isEqualTo(run.id());
        assertThat(claim.maybeSent()).isTrue();

        // when
        this.claims.release(x.toUpperCase(), "Store", run.sandbox());
        RunResult other = this.runs.run(RunRequest.of(file("b.csv", row(x, "Person X again"))));

        // then: the other file sends it; the failed run, restarted, does not send it again
        assertThat(other.exitCode()).isEqualTo(ExitCodes.OK);
        RunResult restarted = this.runs.restart(run.id());
        assertThat(rows(restarted).get(2L).state()).isEqualTo(RowState.ALREADY_SUBMITTED);
        assertThat(vendor.createdCount(x, "Store")).isEqualTo(1);
    }

    @Test
    void twoRunsClaimingTheSameDevicesAtOnceGetEachDeviceOnce() throws Exception {
        // given: two validated-and-gated runs of two files naming the same 40 devices
        String prefix = prefix();
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            lines.add(row(prefix + i, "Person " + i));
        }
        long first = stagedRun(file("one.csv", lines.toArray(String[]::new)));
        List<String> reversed = new ArrayList<>(lines);
        Collections.reverse(reversed);
        long second = stagedRun(file("two.csv", reversed.toArray(String[]::new)));
        boolean sandbox = this.ledger.findRun(first).orElseThrow().sandbox();

        // when: both claim every device at the same moment, from two threads
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<DeviceClaims.Result>> results = new ArrayList<>();
            for (long runId : List.of(first, second)) {
                List<LedgerRow> pending = new ArrayList<>();
                this.ledger.forEachRow(runId, (row) -> pending.add(row));
                results.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return this.claims.claim(runId, sandbox, Instant.now().minusSeconds(3600), pending, Instant.now());
                }));
            }

            // then: every device went to exactly one of them; the other holds its row
            int claimed = 0;
            int held = 0;
            for (Future<DeviceClaims.Result> result : results) {
                claimed += result.get(60, TimeUnit.SECONDS).claimed().size();
                held += (int) result.get().refused().stream().filter((r) -> r.state() == RowState.HELD).count();
            }
            assertThat(claimed).isEqualTo(40);
            assertThat(held).isEqualTo(40);
            Map<String, Long> holders = new TreeMap<>();
            for (long runId : List.of(first, second)) {
                this.ledger.forEachRow(runId, (row) -> {
                    if (row.state() == RowState.SUBMITTING) {
                        holders.merge(row.serialKey(), 1L, Long::sum);
                    }
                });
            }
            assertThat(holders).hasSize(40).allSatisfy((serial, count) -> assertThat(count).isEqualTo(1));
        }
        finally {
            threads.shutdownNow();
        }
    }

    /** A run of the file stopped before sending anything (a canary of none): its rows are VALID. */
    private long stagedRun(Path file) {
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(0L));
        return canary.summary().runId();
    }

    private void assertEveryDeviceCreatedOnce() {
        Map<String, Long> perDevice = new TreeMap<>();
        vendor.createdActions()
            .forEach((action) -> perDevice.merge(action.serialNumber() + "|" + action.actionType(), 1L, Long::sum));
        assertThat(perDevice).allSatisfy((device, count) -> assertThat(count).as(device).isEqualTo(1));
    }

    private Map<Long, LedgerRow> rows(RunResult result) {
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(result.summary().runId(), (row) -> rows.put(row.line(), row));
        return rows;
    }

    private static String prefix() {
        return "D" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
    }

    private static String row(String serial, String name) {
        return serial + ",Store," + name + "," + serial.toLowerCase() + "@acme.com";
    }

    private Path file(String name, String... rows) throws IOException {
        Path file = this.dir.resolve(UUID.randomUUID() + "-" + name);
        Files.writeString(file, HEADER + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
        return file;
    }

}
