package dev.bulkoffboarding.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.input.InputFileException;
import dev.bulkoffboarding.input.InputOptions;
import dev.bulkoffboarding.input.SpreadsheetCells;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of reading and validating together, as the stage step does: spreadsheets
 * with random columns (in random order, under canonical or alias headers), random cells, random
 * quoting, delimiters, line endings and encodings always give exactly one ledger row per record,
 * VALID with the body to send or INVALID with its reasons, at the record's own line; random bytes
 * give rows or an {@link InputFileException}, never anything else. Each seed is in the test's name,
 * so a failure replays exactly. (Seeded JUnit generators rather than jqwik, whose engine asks AI
 * agents not to use it.)
 */
class StagingPropertyTests {

    private static final long MASTER_SEED = 20261127L;

    private static final JsonMapper json = JsonMapper.builder().build();

    /** Each column under the names people give it; every name maps to that column only. */
    private static final List<List<String>> HEADERS = List.of(List.of("serial_number", "Serial Number", "S/N"),
            List.of("action_type", "Action", "Requested action"), List.of("current_user_name", "Employee Name", "Name"),
            List.of("current_user_email", "Email", "E-mail address"), List.of("current_user_country", "Country"),
            List.of("current_user_address", "Address"), List.of("current_user_phone", "Phone", "Mobile"),
            List.of("new_recipient_name", "New Recipient"), List.of("new_recipient_email", "Recipient Email"),
            List.of("wipe", "Wipe Device", "Wipe (yes/no)"), List.of("notes", "Comments"),
            List.of("notification_emails", "Notify"));

    private static final List<String> ATOMS = List.of("a", "Z", "7", " ", "\t", "\"", "\"\"", ",", ";", "|", "\r",
            "\n", "\r\n", "'", "=", "+", "-", "@", "é", "ß", "€", "–", "中文", "😀", "\u00A0", "\0", "x@y.z");

    private static final List<Charset> ENCODINGS = List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
            StandardCharsets.UTF_16BE, Charset.forName("windows-1252"));

    private static final AtomicLong validRows = new AtomicLong();

    private static final AtomicLong invalidRows = new AtomicLong();

    @TempDir
    Path dir;

    static Stream<Long> sheetSeeds() {
        Random master = new Random(MASTER_SEED);
        return LongStream.range(0, 150).mapToObj((i) -> master.nextLong());
    }

    static Stream<Long> byteSeeds() {
        Random master = new Random(MASTER_SEED ^ 0x5EED);
        return LongStream.range(0, 150).mapToObj((i) -> master.nextLong());
    }

    @AfterAll
    static void bothOutcomesWereExercised() {
        assertThat(validRows.get()).as("valid rows staged").isGreaterThan(50);
        assertThat(invalidRows.get()).as("invalid rows staged").isGreaterThan(50);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("sheetSeeds")
    void everyRecordOfASpreadsheetBecomesExactlyOneRowAtItsLine(long seed) throws IOException {
        Random random = new Random(seed);
        // given
        Sheet sheet = sheet(random);
        Path file = this.dir.resolve("sheet-" + seed + ".csv");
        Files.write(file, sheet.bytes());
        InputOptions options = random.nextBoolean() ? InputOptions.defaults()
                : InputOptions.defaults().withEncoding(sheet.encoding());

        // when
        List<LedgerRow> rows = new ArrayList<>();
        StagingProcessor processor = new StagingProcessor(seed, "0".repeat(64), new RowValidator(RowRules.defaults()),
                json, true);
        try (CsvInput input = CsvInput.open(file, options)) {
            assertThat(input.delimiter()).isEqualTo(sheet.delimiter());
            if (options.encoding() != null || !sheet.rows().isEmpty()) {
                // a sheet of plain ASCII (no rows) reads the same in UTF-8, which detection prefers
                assertThat(input.charset()).isEqualTo(sheet.encoding());
            }
            while (input.hasNext()) {
                rows.add(processor.process(input.next()));
            }
        }

        // then: one row per record, at its line, in one of the two staged states, with its own cells
        assertThat(rows).hasSize(sheet.rows().size());
        for (int i = 0; i < rows.size(); i++) {
            LedgerRow row = rows.get(i);
            List<String> cells = sheet.rows().get(i);
            assertThat(row.line()).isEqualTo(sheet.lines().get(i));
            assertThat(json.readValue(row.sourceCells(), String[].class)).containsExactlyElementsOf(cells);
            if (row.state() == RowState.VALID) {
                validRows.incrementAndGet();
                JsonNode body = json.readTree(row.requestBody());
                assertThat(body.get("serial_number").asString()).isEqualTo(cells.get(sheet.order().indexOf(0)).strip());
                assertThat(row.idempotencyKey()).endsWith("-" + row.line());
            }
            else {
                invalidRows.incrementAndGet();
                assertThat(row.state()).isEqualTo(RowState.INVALID);
                assertThat(row.errorMessage()).isNotBlank();
                assertThat(row.requestBody()).isNull();
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("byteSeeds")
    void randomBytesGiveRowsOrAnInputFileExceptionOnly(long seed) throws IOException {
        Random random = new Random(seed);
        // given: a valid header, then random bytes, CSV-like or not
        byte[] head = (random.nextBoolean() ? "serial_number,action_type,current_user_name,current_user_email\n"
                : "\uFEFFS/N;Action;Name;Email;Wipe;Notes\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = new byte[random.nextInt(2000)];
        byte[] alphabet = ",;\"\n\r 'a=@+-\t\u0000".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < tail.length; i++) {
            tail[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        }
        Path file = this.dir.resolve("bytes-" + seed + ".csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(head);
        bytes.write(tail);
        Files.write(file, bytes.toByteArray());
        StagingProcessor processor = new StagingProcessor(seed, "f".repeat(64), new RowValidator(RowRules.defaults()),
                json, true);

        // when
        long records = 0;
        long lastLine = 0;
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
            while (input.hasNext()) {
                CsvRecord record = input.next();
                LedgerRow row = processor.process(record);
                records++;

                // then: each record is one row, in line order, VALID or INVALID with a reason
                assertThat(row.line()).isEqualTo(record.line()).isGreaterThan(lastLine);
                assertThat(row.state()).isIn(RowState.VALID, RowState.INVALID);
                assertThat((row.state() == RowState.VALID) ? row.requestBody() : row.errorMessage()).isNotBlank();
                lastLine = row.line();
            }
        }
        catch (InputFileException ex) {
            // then: a whole-file problem, named for the person who made the file
            assertThat(ex.getMessage()).startsWith(file.getFileName().toString());
        }
        assertThat(records).isLessThanOrEqualTo(tail.length);
    }

    /** A spreadsheet export: its bytes, and what a reader must find in them. */
    record Sheet(byte[] bytes, Charset encoding, char delimiter, List<Integer> order, List<List<String>> rows,
            List<Long> lines) {
    }

    static Sheet sheet(Random random) throws IOException {
        char delimiter = ",;\t|".charAt(random.nextInt(4));
        String lineEnding = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
        Charset encoding = ENCODINGS.get(random.nextInt(ENCODINGS.size()));
        boolean windows1252 = encoding.name().equals("windows-1252");
        QuoteMode quoting = List.of(QuoteMode.MINIMAL, QuoteMode.ALL, QuoteMode.NON_NUMERIC).get(random.nextInt(3));

        // the columns: the four required ones and a random choice of the others, in random order
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        for (int column = 4; column < HEADERS.size(); column++) {
            if (random.nextBoolean()) {
                order.add(column);
            }
        }
        Collections.shuffle(order, random);
        List<String> header = order.stream()
            .map((column) -> HEADERS.get(column).get(random.nextInt(HEADERS.get(column).size())))
            .toList();

        List<List<String>> rows = new ArrayList<>();
        int count = random.nextInt(12);
        for (int r = 0; r < count; r++) {
            List<String> cells = new ArrayList<>();
            for (int column : order) {
                cells.add(cell(random, column, windows1252));
            }
            rows.add(cells);
        }
        if (windows1252 && !rows.isEmpty()) {
            // "é " is never valid UTF-8, so detection settles on windows-1252 as the sheet's author meant
            rows.get(0).set(order.indexOf(2), "José Núñez");
        }

        // printed as a spreadsheet's "save as CSV" would, with formula-like cells neutralised as we do
        StringWriter text = new StringWriter();
        List<Long> lines = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder()
            .setDelimiter(delimiter)
            .setRecordSeparator(lineEnding)
            .setQuoteMode(quoting)
            .get();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            printer.printRecord(header);
            for (List<String> row : rows) {
                lines.add(lineBreaks(text.toString()) + 1);
                printer.printRecord(row.stream().map(SpreadsheetCells::neutralise).toList());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!windows1252 && (encoding != StandardCharsets.UTF_8 || random.nextBoolean())) {
            // UTF-16 always with its byte order mark, as spreadsheets write it; UTF-8 sometimes
            try (Writer bom = new OutputStreamWriter(bytes, encoding)) {
                bom.write('\uFEFF');
            }
        }
        bytes.write(text.toString().getBytes(encoding));
        return new Sheet(bytes.toByteArray(), encoding, delimiter, order, rows, lines);
    }

    /** A cell of a column: plausible most of the time, otherwise random atoms. */
    private static String cell(Random random, int column, boolean windows1252) {
        if (random.nextInt(4) > 0) {
            String plausible = switch (column) {
                case 0 -> "SN" + random.nextInt(100_000);
                case 1 -> List.of("Store", "retrieval", "Assign", "Reassign").get(random.nextInt(4));
                case 2 -> List.of("Ann Lee", "Zoë Müller", "O'Brien, Seán").get(random.nextInt(3));
                case 3 -> "p" + random.nextInt(1000) + "@acme.example";
                case 6 -> "+1-555-0100";
                case 7 -> "Jane Roe";
                case 8 -> "jane@acme.example";
                case 9 -> List.of("yes", "no", "").get(random.nextInt(3));
                default -> "";
            };
            if (!plausible.isEmpty() || column > 3) {
                return plausible;
            }
        }
        StringBuilder text = new StringBuilder((column == 0) ? "S" : "");
        int atoms = random.nextInt(6);
        for (int i = 0; i < atoms; i++) {
            String atom = ATOMS.get(random.nextInt(ATOMS.size()));
            // windows-1252 has no CJK or emoji: a real export in it would not either
            if (!windows1252 || Charset.forName("windows-1252").newEncoder().canEncode(atom)) {
                text.append(atom);
            }
        }
        return text.toString();
    }

    private static long lineBreaks(String text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || text.charAt(i - 1) != '\r'))) {
                breaks++;
            }
        }
        return breaks;
    }

}
