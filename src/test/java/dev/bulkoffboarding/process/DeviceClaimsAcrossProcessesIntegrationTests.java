package dev.bulkoffboarding.process;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One device, one action with real processes ({@code java -jar}) sharing one database and one
 * vendor (a sandbox in this JVM, so what reached it outlives the processes): the claim a row takes
 * in the database decides which run of which process sends a device's action, whether the other
 * run was killed in mid-flight or is sending the same devices at the same moment. A contract: it
 * runs once per database ({@link DeviceClaimsAcrossProcessesOnH2IntegrationTests},
 * {@link DeviceClaimsAcrossProcessesOnPostgresIntegrationTests}), since the database decides.
 * The tests assert outcomes and counts only; the latencies merely make the races likely.
 */
abstract class DeviceClaimsAcrossProcessesIntegrationTests {

    /** Longer than a cold start and a whole run on a busy two-core machine, several times over. */
    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(180);

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,notes\n";

    static final Set<RowState> SETTLED = EnumSet.of(RowState.SUBMITTED, RowState.ALREADY_SUBMITTED, RowState.HELD);

    @TempDir
    Path dir;

    SandboxServer vendor;

    SharedDatabase database;

    final List<ApplicationProcess> processes = new ArrayList<>();

    /** The database the processes of one test share, fresh for each test. */
    abstract SharedDatabase database(Path dataDirectory);

    @BeforeEach
    void vendorAndDatabase() {
        this.vendor = SandboxServer.start(SandboxProperties.defaults()
            .withLatency(Duration.ofMillis(20))
            .withRequestsPerMinute(0));
        this.database = database(this.dir.resolve("data"));
    }

    @AfterEach
    void killLeftoversAndCleanUp() {
        try {
            this.processes.forEach(ApplicationProcess::close);
        }
        finally {
            try {
                this.database.close();
            }
            finally {
                // drops the answers the vendor still holds back
                this.vendor.close();
            }
        }
    }

    @Test
    void aDeviceInFlightWhenItsRunWasKilledIsHeldByAnEditedCopyAndCreatedOnceByTheResumedRun() throws Exception {
        // given: the original file's run, killed with SIGKILL while the vendor has created actions
        // whose answers it holds back: those devices' rows are SUBMITTING, and their process is gone
        List<Device> devices = devices("KX", 24, "Store", "Retrieval");
        Path original = file("leavers.csv", rows(devices, "weekly export"));
        this.vendor.setLatency(Duration.ofMillis(100));
        ApplicationProcess killed = start("run", original.toString());
        awaitCreated(8, killed);
        this.vendor.setLatency(Duration.ofMinutes(10));
        awaitCreated(this.vendor.createdActions().size() + 1, killed);
        killed.kill();
        this.vendor.setLatency(Duration.ofMillis(20));
        long originalRun = runId(original);
        // (a request still on its way when the process died may be created a moment later: such a
        // device is pending like the others, and only the ones created already are "in flight")
        List<String> pendingAtKill = rows(originalRun).stream()
            .filter((row) -> row.state() == RowState.SUBMITTING)
            .map(Row::serial)
            .toList();
        List<String> inFlight = pendingAtKill.stream().filter((serial) -> createdCount(serial) == 1).toList();
        assertThat(inFlight).as("devices the vendor created while their run was killed waiting for the answer")
            .isNotEmpty();

        // when: an edited copy of the file (an unrelated cell changed, so a different run) is run
        List<String> editedRows = new ArrayList<>(rows(devices, "weekly export"));
        editedRows.set(editedRows.size() - 1, editedRows.get(editedRows.size() - 1).replace("Person", "Persona"));
        Path copy = file("leavers-edited.csv", editedRows);
        ApplicationProcess copyRun = start("run", copy.toString());
        int copyExit = copyRun.waitForExit(PROCESS_TIMEOUT);

        // then: the copy sent none of the devices in flight, held each naming the killed run, said so
        // in its report and on the console, and is not finished
        long copyRunId = runId(copy);
        assertThat(copyRunId).isNotEqualTo(originalRun);
        assertThat(copyExit).as(copyRun.output()).isEqualTo(ExitCodes.FAILED);
        String reason = "run " + originalRun + " is still handling this device: finish run " + originalRun
                + " (`restart " + originalRun + "`) first";
        Map<String, Row> copyRows = bySerial(rows(copyRunId));
        Map<String, CSVRecord> results = results(copyRunId);
        for (String serial : pendingAtKill) {
            assertThat(copyRows.get(serial).state()).as(serial).isEqualTo(RowState.HELD);
            assertThat(copyRows.get(serial).relatedRunId()).as(serial).isEqualTo(originalRun);
            assertThat(results.get(serial).get("outcome")).as(serial).isEqualTo("HELD");
            assertThat(results.get(serial).get("message")).as(serial).isEqualTo(reason);
            assertThat(copyRun.output()).contains("line " + copyRows.get(serial).line() + ", serial " + serial
                    + ": not sent: " + reason);
        }
        for (String serial : inFlight) {
            assertThat(createdCount(serial)).as(serial).isEqualTo(1);
        }
        assertThat(copyRun.output()).contains(pendingAtKill.size() + " held by other runs (exit 1");
        assertThat(copyRows.values()).filteredOn((row) -> !pendingAtKill.contains(row.serial()))
            .extracting(Row::state)
            .isSubsetOf(RowState.SUBMITTED, RowState.ALREADY_SUBMITTED);

        // when: the original file is run again
        ApplicationProcess resumed = start("run", original.toString());
        int resumedExit = resumed.waitForExit(PROCESS_TIMEOUT);

        // then: it resumed the killed run and found the in-flight devices' actions at the vendor
        // instead of sending them again
        assertThat(resumedExit).as(resumed.output()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.output()).contains("by a process that no longer runs");
        assertThat(runId(original)).isEqualTo(originalRun);
        Map<String, Row> originalRows = bySerial(rows(originalRun));
        for (String serial : pendingAtKill) {
            assertThat(originalRows.get(serial).state()).as(serial).isEqualTo(RowState.SUBMITTED);
            assertThat(originalRows.get(serial).vendorId()).as(serial).isEqualTo(createdId(serial));
        }

        // when: the copy is run again
        ApplicationProcess copyAgain = start("run", copy.toString());
        int copyAgainExit = copyAgain.waitForExit(PROCESS_TIMEOUT);

        // then: it finished its run, the held devices now submitted by the original run
        assertThat(copyAgainExit).as(copyAgain.output()).isEqualTo(ExitCodes.OK);
        copyRows = bySerial(rows(copyRunId));
        for (String serial : pendingAtKill) {
            assertThat(copyRows.get(serial).state()).as(serial).isEqualTo(RowState.ALREADY_SUBMITTED);
            assertThat(copyRows.get(serial).relatedRunId()).as(serial).isEqualTo(originalRun);
            assertThat(copyRows.get(serial).actionId()).as(serial).isEqualTo(originalRows.get(serial).actionId());
        }
        assertEachDeviceCreatedOnceBySubmittingRow(devices, List.of(originalRun, copyRunId));
        assertThat(posts()).isEqualTo(devices.size());
    }

    @Test
    void twoFilesNamingTheSameDevicesRunAtOnceCreateEachDeviceOnce() throws Exception {
        // given: two files with 200 devices in common, in opposite orders, and 20 of their own each
        List<Device> shared = devices("SH", 200, "Store", "Retrieval");
        List<Device> onlyOne = devices("ONE", 20, "Retrieval");
        List<Device> onlyTwo = devices("TWO", 20, "Store");
        List<Device> reversed = new ArrayList<>(shared);
        Collections.reverse(reversed);
        Path one = file("one.csv", rows(concat(shared, onlyOne), "from one.csv"));
        Path two = file("two.csv", rows(concat(reversed, onlyTwo), "from two.csv"));
        // The vendor answers slowly until both processes have had an action created, so that the
        // first to start is still sending when the second starts, whatever their start-up times.
        this.vendor.setLatency(Duration.ofSeconds(2));

        // when: both are started at the same moment (an H2 file is served by this JVM meanwhile: the
        // first process to open it would serve it, and its end would fail the other's run, which
        // DeviceClaimsAcrossProcessesOnH2IntegrationTests shows on its own)
        ApplicationProcess first;
        ApplicationProcess second;
        boolean bothSending;
        int firstExit;
        int secondExit;
        try (SharedDatabase.Server server = this.database.serveWhileProcessesRun()) {
            first = start("run", one.toString());
            second = start("run", two.toString());
            bothSending = awaitCreatedFromBoth(first, second);
            this.vendor.setLatency(Duration.ofMillis(50));
            firstExit = first.waitForExit(PROCESS_TIMEOUT);
            secondExit = second.waitForExit(PROCESS_TIMEOUT);
        }

        // then: each device was created once, and every row of both runs ended submitted, already
        // submitted or held
        String outputs = first.output() + "\n----\n" + second.output();
        assertThat(bothSending).as("both processes had actions created before either ended\n" + outputs).isTrue();
        long runOne = runId(one);
        long runTwo = runId(two);
        List<Row> rowsOne = rows(runOne);
        List<Row> rowsTwo = rows(runTwo);
        assertThat(rowsOne).hasSize(220).extracting(Row::state).as(outputs).allMatch(SETTLED::contains);
        assertThat(rowsTwo).hasSize(220).extracting(Row::state).as(outputs).allMatch(SETTLED::contains);
        assertThat(firstExit).as(first.output()).isEqualTo(expectedExit(rowsOne));
        assertThat(secondExit).as(second.output()).isEqualTo(expectedExit(rowsTwo));
        List<Device> all = concat(concat(shared, onlyOne), onlyTwo);
        assertThat(posts()).as(outputs).isEqualTo(all.size());
        assertEachDeviceCreatedOnceBySubmittingRow(all, List.of(runOne, runTwo));
        // a device one run did not send, the other run created: the row names that run (and its
        // action, once submitted), and the vendor holds that run's request
        assertNotSentRowsPointAtTheOtherRun(rowsOne, runTwo, bySerial(rowsTwo), "from two.csv");
        assertNotSentRowsPointAtTheOtherRun(rowsTwo, runOne, bySerial(rowsOne), "from one.csv");
        assertThat(rowsOne).filteredOn((row) -> row.serial().startsWith("ONE-"))
            .hasSize(onlyOne.size())
            .extracting(Row::state)
            .containsOnly(RowState.SUBMITTED);
        assertThat(rowsTwo).filteredOn((row) -> row.serial().startsWith("TWO-"))
            .hasSize(onlyTwo.size())
            .extracting(Row::state)
            .containsOnly(RowState.SUBMITTED);

        // when: a run left with held devices is run again, now that the other run is done
        for (Path file : List.of(one, two)) {
            long runId = runId(file);
            if (rows(runId).stream().noneMatch((row) -> row.state() == RowState.HELD)) {
                continue;
            }
            ApplicationProcess again = start("run", file.toString());
            int exit = again.waitForExit(PROCESS_TIMEOUT);

            // then: it finishes without sending anything
            assertThat(exit).as(again.output()).isEqualTo(ExitCodes.OK);
            assertThat(rows(runId)).extracting(Row::state)
                .isSubsetOf(RowState.SUBMITTED, RowState.ALREADY_SUBMITTED);
        }
        assertThat(posts()).isEqualTo(all.size());
        assertEachDeviceCreatedOnceBySubmittingRow(all, List.of(runOne, runTwo));
    }

    /**
     * Every device was created exactly once at the vendor, and exactly one row of these runs
     * submitted it, recording the vendor's id of that one action.
     */
    void assertEachDeviceCreatedOnceBySubmittingRow(List<Device> devices, List<Long> runIds) {
        Map<String, Long> createdPerDevice = this.vendor.createdActions()
            .stream()
            .collect(Collectors.groupingBy((action) -> action.serialNumber() + " " + action.actionType(), TreeMap::new,
                    Collectors.counting()));
        assertThat(createdPerDevice.keySet())
            .containsExactlyInAnyOrderElementsOf(devices.stream().map((d) -> d.serial() + " " + d.actionType()).toList());
        assertThat(createdPerDevice).allSatisfy((device, count) -> assertThat(count).as(device).isEqualTo(1));
        Map<String, List<Row>> submitting = new HashMap<>();
        for (long runId : runIds) {
            rows(runId).stream()
                .filter((row) -> row.state() == RowState.SUBMITTED)
                .forEach((row) -> submitting.computeIfAbsent(row.serial(), (serial) -> new ArrayList<>()).add(row));
        }
        assertThat(submitting).hasSize(devices.size()).allSatisfy((serial, rows) -> {
            assertThat(rows).as(serial).hasSize(1);
            assertThat(rows.get(0).vendorId()).as(serial).isEqualTo(createdId(serial));
        });
    }

    void assertNotSentRowsPointAtTheOtherRun(List<Row> rows, long otherRun, Map<String, Row> otherRows,
            String otherNote) {
        for (Row row : rows) {
            if (row.state() == RowState.SUBMITTED) {
                continue;
            }
            assertThat(row.relatedRunId()).as(row.serial()).isEqualTo(otherRun);
            assertThat(otherRows.get(row.serial()).state()).as(row.serial()).isEqualTo(RowState.SUBMITTED);
            if (row.state() == RowState.ALREADY_SUBMITTED) {
                assertThat(row.actionId()).as(row.serial()).isEqualTo(otherRows.get(row.serial()).actionId());
            }
            assertThat(created(row.serial()).body()).as(row.serial()).contains(otherNote);
        }
    }

    static int expectedExit(List<Row> rows) {
        return rows.stream().anyMatch((row) -> row.state() == RowState.HELD) ? ExitCodes.FAILED : ExitCodes.OK;
    }

    ApplicationProcess start(String... command) {
        List<String> arguments = new ArrayList<>(List.of(command));
        arguments.addAll(this.database.applicationArguments());
        arguments.addAll(List.of("--offboarding.reports-dir=" + this.dir.resolve("reports"),
                "--offboarding.chunk-size=20", "--quipteams.base-url=" + this.vendor.baseUri(),
                "--quipteams.max-in-flight=8", "--quipteams.requests-per-minute=60000",
                "--quipteams.settle-delay=100ms", "--quipteams.initial-backoff=10ms",
                "--quipteams.max-backoff=50ms",
                // a resumed run looks up what it had in flight after connect + response timeout +
                // settle delay: short here, yet well above the vendor's slowest answer in these tests
                "--quipteams.connect-timeout=1s", "--quipteams.response-timeout=10s"));
        ApplicationProcess process = ApplicationProcess.start(this.dir,
                Map.of("QUIPTEAMS_API_KEY", SandboxServer.sandboxKey()), List.of(), arguments);
        this.processes.add(process);
        return process;
    }

    void awaitCreated(int count, ApplicationProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (this.vendor.createdActions().size() < count) {
            assertThat(process.isAlive()).as("%s ended before the vendor had %d actions:%n%s", process, count,
                    process.output()).isTrue();
            assertThat(System.nanoTime()).as("the vendor had %d actions in time", count).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    void awaitOutput(ApplicationProcess process, String line) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (!process.output().contains(line)) {
            assertThat(process.isAlive()).as("%s ended before printing %s:%n%s", process, line, process.output())
                .isTrue();
            assertThat(System.nanoTime()).as("%s printed %s in time", process, line).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until the vendor created an action of each process's file; false if one ended first. */
    boolean awaitCreatedFromBoth(ApplicationProcess first, ApplicationProcess second) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESS_TIMEOUT.toNanos();
        while (first.isAlive() && second.isAlive() && System.nanoTime() < deadline) {
            List<SandboxServer.CreatedAction> created = this.vendor.createdActions();
            if (created.stream().anyMatch((a) -> a.body().contains("from one.csv"))
                    && created.stream().anyMatch((a) -> a.body().contains("from two.csv"))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    long createdCount(String serial) {
        return this.vendor.createdActions().stream().filter((a) -> a.serialNumber().equals(serial)).count();
    }

    SandboxServer.CreatedAction created(String serial) {
        return this.vendor.createdActions()
            .stream()
            .filter((a) -> a.serialNumber().equals(serial))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the vendor has no action for " + serial));
    }

    String createdId(String serial) {
        return created(serial).id();
    }

    long posts() {
        return this.vendor.requests().stream().filter((request) -> request.method().equals("POST")).count();
    }

    /** The run of this file (its SHA-256 identifies it). */
    long runId(Path file) throws IOException, NoSuchAlgorithmException {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        return this.database.jdbcTemplate()
            .queryForObject("select id from offboarding_run where kind = 'RUN' and lower(file_sha256) = ?", Long.class,
                    sha);
    }

    List<Row> rows(long runId) {
        return this.database.jdbcTemplate()
            .query("select line_number, serial_number, state, related_run_id, action_id, vendor_id, error_message "
                    + "from offboarding_row where run_id = ? order by line_number",
                    (rs, n) -> new Row(rs.getLong(1), rs.getString(2), RowState.valueOf(rs.getString(3)),
                            (Long) rs.getObject(4, Long.class), rs.getString(5), rs.getString(6), rs.getString(7)),
                    runId);
    }

    static Map<String, Row> bySerial(List<Row> rows) {
        return rows.stream().collect(Collectors.toMap(Row::serial, Function.identity()));
    }

    /** The run's results.csv, by serial number. */
    Map<String, CSVRecord> results(long runId) throws IOException {
        Path file = this.dir.resolve("reports").resolve(Long.toString(runId)).resolve("results.csv");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder()
                .setHeader()
                .get()
                .parse(in)
                .stream()
                .collect(Collectors.toMap((record) -> record.get("serial_number"), Function.identity()));
        }
    }

    static List<Device> devices(String prefix, int count, String... actionTypes) {
        List<Device> devices = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            devices.add(new Device(prefix + "-" + i, actionTypes[i % actionTypes.length], i));
        }
        return devices;
    }

    static List<Device> concat(List<Device> first, List<Device> second) {
        List<Device> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    static List<String> rows(List<Device> devices, String note) {
        return devices.stream()
            .map((d) -> d.serial() + "," + d.actionType() + ",Person " + d.person() + ",p" + d.person() + "."
                    + d.serial().toLowerCase() + "@acme.com," + note)
            .toList();
    }

    Path file(String name, List<String> rows) throws IOException {
        return Files.writeString(this.dir.resolve(name), HEADER + String.join("\n", rows) + "\n",
                StandardCharsets.UTF_8);
    }

    /** A device and the action a file asks for it. */
    record Device(String serial, String actionType, int person) {
    }

    /** A ledger row, as the test reads it. */
    record Row(long line, String serial, RowState state, Long relatedRunId, String actionId, String vendorId,
            String message) {
    }

}
