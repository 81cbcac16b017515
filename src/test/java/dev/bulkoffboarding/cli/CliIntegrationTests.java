package dev.bulkoffboarding.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.BulkOffboardingApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line contract, as a user meets it: the exit code and the lines printed, with the
 * built-in sandbox (no API key) and a database of the test's own. A contract: it runs once per
 * database ({@link CliOnH2IntegrationTests}, {@link CliOnPostgresIntegrationTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class CliIntegrationTests {

    @TempDir
    Path dir;

    /**
     * Arguments that point the application at an empty database of this test method's own: run
     * ids start at 1 and no earlier run of the sample sheet exists.
     */
    abstract List<String> databaseArguments();

    int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(databaseArguments());
        all.add("--offboarding.data-dir=" + this.dir.resolve("data"));
        all.add("--offboarding.reports-dir=" + this.dir.resolve("reports"));
        all.add("--quipteams.api-key=");
        all.add("--sandbox.latency=0ms");
        all.add("--quipteams.settle-delay=10ms");
        return SpringApplication.exit(SpringApplication.run(BulkOffboardingApplication.class, all.toArray(String[]::new)));
    }

    @Test
    void runsTheSampleSheetThroughTheSandbox(CapturedOutput output) {
        // when
        int exitCode = cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8");

        // then
        assertThat(exitCode).isEqualTo(3);
        assertThat(output).contains("*** SANDBOX — nothing was sent to Quipteams ***");
        assertThat(output).containsPattern(
                "Run \\d+ completed: 26 submitted, 6 need attention, 0 to retry \\(exit 3: some rows need a person, see failures.csv\\)");
        assertThat(this.dir.resolve("reports")).isDirectory();
    }

    @Test
    void runningTheSameFileAgainIsRefused(CapturedOutput output) {
        // given
        cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8");

        // when
        int exitCode = cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8");

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(output).contains("This file was already run completely as run");
    }

    @Test
    void theDemoWorksEveryTime(CapturedOutput output) {
        assertThat(cli("demo")).isZero();
        assertThat(cli("demo")).isZero();
        assertThat(output.toString().split("26 submitted", -1)).hasSize(3);
    }

    @Test
    void validateListsEachProblemWithItsLine(CapturedOutput output) {
        // when
        int exitCode = cli("validate", "sample-data/offboarding-sample.csv");

        // then
        assertThat(exitCode).isEqualTo(3);
        assertThat(output).contains("line 28: INVALID: current_user_email is required");
        assertThat(output).contains("line 29: INVALID: action_type 'Wipe' is not one of Store, Retrieval, Assign, Reassign");
        assertThat(output).contains("line 32: DUPLICATE: same device and action as line 3");
        assertThat(output).containsPattern("actions: .*Store \\d+.*; wipes: \\d+; new recipients: \\d+");
        assertThat(output).doesNotContain("SANDBOX");
        assertThat(output).containsPattern("Validation \\d+ completed: 27 valid, 5 need attention \\(exit 3");
    }

    @Test
    void validateOnlineAlsoCountsWhatTheVendorWouldStop(CapturedOutput output) {
        // when: the sandbox's inventory does not know the sheet's NOTINV-77321
        int exitCode = cli("validate", "sample-data/offboarding-sample.csv", "--online");

        // then: the same checks, plus the vendor's
        assertThat(exitCode).isEqualTo(3);
        assertThat(output).contains("line 32: DUPLICATE: same device and action as line 3");
        assertThat(output).contains("line 33: NOT_IN_INVENTORY: serial NOTINV-77321 is not in the Quipteams inventory");
        assertThat(output).containsPattern("\\d+ records: .*1 NOT_IN_INVENTORY");
        assertThat(output).containsPattern("Validation \\d+ completed: 26 valid, 6 need attention \\(exit 3");
    }

    @Test
    void aMissingColumnIsAUsageError(CapturedOutput output) throws IOException {
        // given
        Path file = this.dir.resolve("bad.csv");
        Files.writeString(file, "Serial,Name\nC02X,John\n");

        // when
        int exitCode = cli("run", file.toString());

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(output).contains("bad.csv").contains("action_type");
    }

    @Test
    void anUnreadableFileIsAUsageError(CapturedOutput output) {
        assertThat(cli("run", this.dir.resolve("nope.csv").toString())).isEqualTo(2);
        assertThat(output).contains("Cannot read").contains("nope.csv");
    }

    @Test
    void printsTheTemplate(CapturedOutput output) {
        assertThat(cli("template")).isZero();
        assertThat(output).contains("serial_number,action_type,current_user_name,current_user_email");
    }

    @Test
    void listsRunsAndShowsAReport(CapturedOutput output) {
        // given
        cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8");

        // when
        int runsExit = cli("runs");
        int reportExit = cli("report", "1", "--failures");

        // then
        assertThat(runsExit).isZero();
        assertThat(reportExit).isZero();
        assertThat(output).contains("offboarding-sample.csv (sandbox)");
        assertThat(output).contains("line 33: NOT_IN_INVENTORY: serial NOTINV-77321");
    }

    @Test
    void reportWritesEvidenceForAuditors(CapturedOutput output) throws Exception {
        // given: the sample sheet run, its 8 wipes confirmed at the command line
        cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8");

        // when
        int exitCode = cli("report", "1", "--evidence");

        // then: one line per device sent, naming who started the run and how its wipes were confirmed
        assertThat(exitCode).isZero();
        Path evidence = this.dir.resolve("reports").resolve("1").resolve("evidence.csv");
        assertThat(output).contains("Evidence: " + evidence);
        List<org.apache.commons.csv.CSVRecord> devices = org.apache.commons.csv.CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(java.nio.file.Files.newBufferedReader(evidence))
            .getRecords();
        assertThat(devices).hasSize(26);
        assertThat(devices).allSatisfy((device) -> {
            assertThat(device.get("action_id")).startsWith("DA-");
            assertThat(device.get("started_by")).isEqualTo("CLI by " + System.getProperty("user.name"));
            assertThat(device.get("sent_at")).isNotEmpty();
        });
        assertThat(devices).filteredOn((device) -> device.get("wipe_requested").equals("true"))
            .hasSize(8)
            .allSatisfy((device) -> assertThat(device.get("wipes_confirmed")).isEqualTo("8 confirmed by the operator"));
        // a validation sent nothing: it has no evidence
        cli("validate", "sample-data/offboarding-sample.csv");
        assertThat(cli("report", "2", "--evidence")).isEqualTo(2);
        assertThat(output).contains("Run 2 is a validation: it sent nothing");
    }

}
