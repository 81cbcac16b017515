package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.BulkOffboardingApplication;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every input limit is configurable, and a file that breaks one is refused before any run exists:
 * exit 2, a message naming the file, the line and the property to change, nothing staged or sent,
 * even when the offending line comes after many good ones.
 */
@SpringBootTest(properties = { "offboarding.input.max-file-size=8KB", "offboarding.input.max-rows=40",
        "offboarding.input.max-field-length=30", "offboarding.input.max-columns=6",
        "offboarding.input.max-notes-length=40", "offboarding.input.max-lines-per-cell=3" })
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class InputLimitsIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,notes";

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @Autowired
    RunService runs;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, registry);
    }

    Path file(String name, int goodRows, String... more) throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 1; i <= goodRows; i++) {
            lines.add("LIM-" + i + ",Store,P " + i + ",p" + i + "@acme.example,");
        }
        lines.addAll(List.of(more));
        return Files.writeString(this.dir.resolve(name), String.join("\n", lines) + "\n");
    }

    void assertRefusedBeforeAnyRun(RunResult result, String message) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).startsWith(message);
        assertThat(result.summary()).isNull();
        assertThat(this.jdbc.queryForObject("select count(*) from offboarding_run", Long.class)).isZero();
        assertThat(this.jdbc.queryForObject("select count(*) from offboarding_row", Long.class)).isZero();
        assertThat(vendor.requests()).isEmpty();
    }

    @Test
    void refusesAFileLargerThanMaxFileSize() throws IOException {
        // given: 8 KB + 1 byte
        Path file = Files.writeString(this.dir.resolve("large.csv"), HEADER + "\n" + "x".repeat(8192 - HEADER.length()));

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertRefusedBeforeAnyRun(result,
                "large.csv: the file has 8193 bytes, more than the limit of 8192 (offboarding.input.max-file-size)");
    }

    @Test
    void refusesOneRecordMoreThanMaxRows() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(file("rows.csv", 41)));

        // then
        assertRefusedBeforeAnyRun(result, "rows.csv: line 42: more than 40 records (offboarding.input.max-rows)");
    }

    @Test
    void refusesAFieldLongerThanMaxFieldLength() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(
                file("field.csv", 30, "LIM-31,Store," + "n".repeat(31) + ",ann@acme.example,")));

        // then
        assertRefusedBeforeAnyRun(result, "field.csv: line 32, column 3: a field is longer than 30 characters "
                + "(offboarding.input.max-field-length)");
    }

    @Test
    void refusesNotesLongerThanMaxNotesLength() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(
                file("notes.csv", 30, "LIM-31,Store,Ann Lee,ann@acme.example," + "n".repeat(41))));

        // then
        assertRefusedBeforeAnyRun(result, "notes.csv: line 32, column 5: a field is longer than 40 characters "
                + "(offboarding.input.max-notes-length)");
    }

    @Test
    void refusesACellSpanningMoreLinesThanMaxLinesPerCell() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(
                file("lines.csv", 30, "LIM-31,Store,Ann Lee,ann@acme.example,\"one\ntwo\nthree\nfour\"")));

        // then
        assertRefusedBeforeAnyRun(result, "lines.csv: line 32, column 5: a quoted field spans more than 3 lines "
                + "(offboarding.input.max-lines-per-cell)");
    }

    @Test
    void refusesMoreColumnsThanMaxColumnsInTheHeaderOrInAnyRecord() throws IOException {
        // when
        RunResult header = this.runs.run(RunRequest.of(Files.writeString(this.dir.resolve("header.csv"),
                HEADER + ",a,b\nLIM-1,Store,Ann Lee,ann@acme.example,,,\n")));
        RunResult record = this.runs.run(RunRequest.of(file("record.csv", 30, "LIM-31,Store,Ann,ann@acme.example,,,")));

        // then
        assertRefusedBeforeAnyRun(header, "header.csv: line 1, column 7: the header has 7 columns, more than the "
                + "limit of 6 (offboarding.input.max-columns)");
        assertRefusedBeforeAnyRun(record, "record.csv: line 32, column 7: the record has 7 cells, more than the limit "
                + "of 6 (offboarding.input.max-columns)");
    }

    @Test
    void theCommandLineExitsTwoAndPrintsTheLimitThatWasBroken(CapturedOutput output) throws Exception {
        // given
        Path file = file("cli.csv", 4);

        // when
        int exitCode = runCli(this.dir.resolve("cli"), "run", file.toString(), "--offboarding.input.max-rows=3");

        // then
        assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(output).contains("cli.csv: line 5: more than 3 records (offboarding.input.max-rows): split the "
                + "file into smaller ones");
        assertThat(vendor.requests()).isEmpty();
    }

    /** The command line, as {@code java -jar} runs it, with a database of its own. */
    static int runCli(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--spring.datasource.url=jdbc:h2:file:" + home.resolve("db") + ";AUTO_SERVER=TRUE");
        all.add("--offboarding.data-dir=" + home.resolve("data"));
        all.add("--offboarding.reports-dir=" + home.resolve("reports"));
        all.add("--quipteams.base-url=" + vendor.baseUri());
        all.add("--quipteams.api-key=" + SandboxServer.sandboxKey());
        return SpringApplication.exit(SpringApplication.run(BulkOffboardingApplication.class, all.toArray(String[]::new)));
    }

    @Test
    void validateRefusesTheSameWay() throws IOException {
        // when
        RunResult result = this.runs.validate(file("validate.csv", 41));

        // then
        assertRefusedBeforeAnyRun(result, "validate.csv: line 42: more than 40 records (offboarding.input.max-rows)");
    }

}
