package dev.bulkoffboarding.cli;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bulkoffboarding.report.TrackingReport;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code track} at the terminal: the counts by the vendor's status, the wipes completed of those
 * requested, {@code reports/<run>/tracking.csv}, and exit code 3 with the stalled rows listed when
 * an action has not moved for {@code offboarding.tracking.stalled-after}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TrackCliIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,wipe\n";

    @AutoClose
    final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @Test
    void tracksARunFromInProgressToCompletedAndWritesTrackingCsv(CapturedOutput output) throws Exception {
        // given: a run of three devices, two of them wiped
        String prefix = "C02" + Cli.uniquePrefix();
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live());
        Path file = file(prefix + "1,Store,Jane Roe,jane@acme.com,yes", prefix + "2,Retrieval,Joe Doe,joe@acme.com,no",
                prefix + "3,Store,Ann Lee,ann@acme.com,yes");
        assertThat(cli.run("run", file.toString(), "--confirm-wipes", "2")).isZero();

        // when: tracked while every action is In Progress
        int inProgress = cli.run("track", "1");

        // then
        assertThat(inProgress).isZero();
        assertThat(output).contains("Run 1: 3 action(s), 0 completed; wipes completed: 0 of 2")
            .contains("vendor status: In Progress 3");
        List<CSVRecord> records = trackingCsv(cli);
        assertThat(records.get(0).values()).containsExactlyElementsOf(TrackingReport.HEADERS);
        assertThat(records).hasSize(4);
        assertThat(records.get(1).values()).startsWith("2", prefix + "1", "Store");
        assertThat(records.get(1).get(4)).isEqualTo("In Progress");
        assertThat(records.get(1).get(11)).isEqualTo("false");

        // when: the vendor ships and completes them all, and every open run is tracked
        this.vendor.setLifecycleStep(Duration.ofMillis(1));
        int completed = cli.run("track");

        // then
        assertThat(completed).isZero();
        assertThat(output).contains("Run 1: 3 action(s), 3 completed; wipes completed: 2 of 2")
            .contains("vendor status: Completed 3");
        records = trackingCsv(cli);
        assertThat(records.subList(1, 4)).allSatisfy((record) -> {
            assertThat(record.get(4)).isEqualTo("Completed");
            assertThat(record.get(5)).startsWith("SBX");
            assertThat(record.get(6)).startsWith("https://");
            assertThat(record.get(8)).isEqualTo(record.get(7));
            assertThat(record.get(9)).isNotBlank();
            assertThat(record.get(10)).isNotBlank();
            assertThat(record.get(11)).isEqualTo("false");
        });

        // when: nothing is open any more
        int nothing = cli.run("track");

        // then
        assertThat(nothing).isZero();
        assertThat(output).contains("No run has actions that Quipteams has not finished: nothing to track.");
    }

    @Test
    void aStalledActionIsListedAndExitsThree(CapturedOutput output) throws Exception {
        // given: actions that stay In Progress, and stalled at once
        String prefix = "C02" + Cli.uniquePrefix();
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live())
            .with("--offboarding.tracking.stalled-after=0s");
        assertThat(cli.run("run", file(prefix + "1,Retrieval,Jane Roe,jane@acme.com,no").toString())).isZero();

        // when
        int exitCode = cli.run("track", "1");

        // then
        assertThat(exitCode).isEqualTo(3);
        String actionId = this.vendor.createdActions().get(0).actionId();
        assertThat(output).contains("stalled: 1")
            .contains("line 2, serial " + prefix + "1, action " + actionId + ", In Progress, unchanged since ")
            .contains("1 action(s) stalled: unchanged for 0s or more.");
        assertThat(trackingCsv(cli).get(1).get(11)).isEqualTo("true");
    }

    @Test
    void anUnknownRunIsAUsageError(CapturedOutput output) {
        // given
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live());

        // when
        int exitCode = cli.run("track", "42");

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(output).contains("There is no run 42 (see 'runs').");
    }

    @Test
    void aRejectedKeyFailsWithExitOneAndChangesNothing(CapturedOutput output) throws Exception {
        // given
        String prefix = "C02" + Cli.uniquePrefix();
        String key = FakeApiKeys.live();
        Cli cli = new Cli(this.dir).vendor(this.vendor, key);
        assertThat(cli.run("run", file(prefix + "1,Retrieval,Jane Roe,jane@acme.com,no").toString())).isZero();
        this.vendor.revokeKey(key);

        // when
        int exitCode = cli.run("track", "1");

        // then
        assertThat(exitCode).isEqualTo(1);
        assertThat(output).contains("Could not ask Quipteams: API key rejected (HTTP 401)").doesNotContain(key);
    }

    private List<CSVRecord> trackingCsv(Cli cli) throws Exception {
        try (Reader reader = Files.newBufferedReader(cli.reports().resolve("1").resolve("tracking.csv"))) {
            return CSVFormat.RFC4180.parse(reader).getRecords();
        }
    }

    private Path file(String... rows) throws Exception {
        Path file = this.dir.resolve("leavers.csv");
        Files.writeString(file, HEADER + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
        return file;
    }

}
