package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cells as spreadsheets write them are values: an address typed on two lines (Alt+Enter) and a
 * 100 KB note reach the vendor exactly as written, through the ledger of either database; a quote
 * that swallows the rows below it refuses the file before anything is sent, naming the line and
 * column where it opened. A contract: it runs once per database
 * ({@link SpreadsheetCellsOnH2IntegrationTests}, {@link SpreadsheetCellsOnPostgresIntegrationTests}).
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class SpreadsheetCellsIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,current_user_address,"
            + "notes";

    static final JsonMapper json = JsonMapper.builder().build();

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
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxServer started = SandboxVendor.immediate();
        vendor = started;
        SandboxVendor.use(started, registry);
    }

    @BeforeEach
    void reset() {
        vendor.reset();
    }

    @Test
    void sendsAnAddressTypedOnTwoLinesAndAHundredKilobyteNoteExactlyAsWritten() throws IOException {
        // given: Excel's CSV: CRLF between records, LF where Alt+Enter broke a line inside a cell; a
        // note of 100,000+ characters on 40 lines (LF and CRLF), with a tab, quotes and non-ASCII text
        String address = "12 Main St\nSpringfield, IL 62701";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append(i == 0 ? "" : (i % 2 == 0) ? "\n" : "\r\n")
                .append("Übergabe ").append(i).append("\t\"15\" MacBook\" ").append("n".repeat(2_500));
        }
        String note = text.toString();
        Path file = csv(
                "CELL-1,Store,Ann Lee,ann@acme.example," + quoted(address) + ",leaving Friday",
                "CELL-2,Retrieval,Bob Roe,bob@acme.example,1 Rue X," + quoted(note),
                "CELL-3,Store,Cy Poe,cy@acme.example,,");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: every row sent once, the cells byte-exact in what the vendor received
        assertThat(result.exitCode()).as(result.message()).isEqualTo(ExitCodes.OK);
        assertThat(note).hasSizeGreaterThan(100_000);
        assertThat(vendor.createdActions()).extracting(SandboxServer.CreatedAction::serialNumber)
            .containsExactlyInAnyOrder("CELL-1", "CELL-2", "CELL-3");
        JsonNode first = received("CELL-1");
        assertThat(first.path("current_user").path("address").asString()).isEqualTo(address);
        assertThat(first.path("notes").asString()).isEqualTo("leaving Friday");
        JsonNode second = received("CELL-2");
        assertThat(second.path("notes").asString()).isEqualTo(note);
        assertThat(received("CELL-3").has("notes")).isFalse();

        // and: the ledger kept the request body and the cells whole, and counted the lines right
        Map<Long, LedgerRow> rows = rows(result.summary().runId());
        assertThat(rows.keySet()).containsExactly(2L, 4L, 44L);
        assertThat(rows.values()).extracting(LedgerRow::state).containsOnly(RowState.SUBMITTED);
        LedgerRow noted = rows.get(4L);
        assertThat(json.readTree(noted.requestBody()).path("notes").asString()).isEqualTo(note);
        assertThat(List.of(json.readValue(noted.sourceCells(), String[].class))).element(5).isEqualTo(note);
    }

    @Test
    void refusesAQuoteThatSwallowsFiveHundredRowsBeforeAnythingIsSent() throws IOException {
        // given: line 12 opens a quote by mistake; a stray quote closing a cell 500 lines later
        // makes a well-formed record of 501 lines, well under any length limit
        Path file = this.dir.resolve("swallowed-" + UUID.randomUUID() + ".csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER + "\r\n");
            for (int line = 2; line <= 11; line++) {
                out.write(row(line) + "\r\n");
            }
            out.write("SW-12,Store,Ann Lee,ann@acme.example,,\"leaving on the 15th\r\n");
            for (int line = 13; line < 512; line++) {
                out.write(row(line) + "\r\n");
            }
            out.write("SW-512,Store,Zed Poe,zed@acme.example,,returns a screen of 15\"\r\n");
            out.write(row(513) + "\r\n");
        }
        long runsBefore = runCount();

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).startsWith(file.getFileName() + ": line 12, column 6: a quoted field spans more "
                + "than 100 lines (offboarding.input.max-lines-per-cell): its opening quote (\") is probably unmatched");
        assertThat(result.summary()).as("no run for a refused file").isNull();
        assertThat(runCount()).isEqualTo(runsBefore);
        assertThat(vendor.requests()).as("nothing reached the vendor").isEmpty();
    }

    @Test
    void refusesAnUnclosedQuoteThatSwallowsTheRestOfTheFileNamingWhereItOpened() throws IOException {
        // given: 5,000 rows after a quote that never closes
        Path file = this.dir.resolve("unclosed-" + UUID.randomUUID() + ".csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER + "\r\n");
            out.write(row(2) + "\r\n");
            out.write("UN-3,Store,Ann Lee,ann@acme.example,\"1 Main St,\r\n");
            for (int line = 4; line < 5_004; line++) {
                out.write(row(line) + "\r\n");
            }
        }
        long runsBefore = runCount();

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).startsWith(file.getFileName() + ": line 3, column 5: a quoted field spans more "
                + "than 100 lines (offboarding.input.max-lines-per-cell)");
        assertThat(result.summary()).isNull();
        assertThat(runCount()).isEqualTo(runsBefore);
        assertThat(vendor.requests()).isEmpty();
    }

    private Path csv(String... rows) throws IOException {
        Path file = this.dir.resolve("cells-" + UUID.randomUUID() + ".csv");
        Files.writeString(file, HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String row(int line) {
        return "SW-" + line + ",Store,Person " + line + ",p" + line + "@acme.example,,";
    }

    private static String quoted(String cell) {
        return "\"" + cell.replace("\"", "\"\"") + "\"";
    }

    private static JsonNode received(String serial) {
        return vendor.createdActions()
            .stream()
            .filter((action) -> action.serialNumber().equals(serial))
            .map((action) -> json.readTree(action.body()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing created for " + serial));
    }

    private Map<Long, LedgerRow> rows(long runId) {
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(runId, (row) -> rows.put(row.line(), row));
        return rows;
    }

    private long runCount() {
        Long count = this.jdbc.queryForObject("select count(*) from offboarding_run", Long.class);
        return (count == null) ? 0 : count;
    }

}
