package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the reader: many generated inputs, each built from a seed that is part of
 * the test's name, so any failure can be replayed exactly. (Plain JUnit generators rather than
 * jqwik, whose engine asks AI agents not to use it.)
 */
class CsvInputPropertyTests {

    private static final long MASTER_SEED = 20261125L;

    private static final List<Column> COLUMNS = List.of(Column.values());

    /** Pieces of cell text: CSV syntax, line breaks, blanks, formula triggers and non-ASCII. */
    private static final List<String> ATOMS = List.of("a", "Z", "7", " ", "  ", "\t", "\"", "\"\"", ",", ";", "|",
            "\r", "\n", "\r\n", "'", "=", "+", "-", "@", "é", "ß", "€", "中文", "😀", "\u00A0", "\uFEFF", "\0", "x@y.z");

    static Stream<Long> seeds(int tries, long salt) {
        Random master = new Random(MASTER_SEED ^ salt);
        return LongStream.range(0, tries).mapToObj((i) -> master.nextLong());
    }

    static Stream<Long> tableSeeds() {
        return seeds(300, 1);
    }

    static Stream<Long> byteSeeds() {
        return seeds(500, 2);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tableSeeds")
    void readsBackWhatCommonsCsvWrote(long seed) throws IOException {
        Table table = table(new Random(seed));
        // given: cells neutralised as our report writers do, printed by Commons CSV
        StringWriter text = new StringWriter();
        List<Long> startLines = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder()
            .setDelimiter(table.delimiter())
            .setRecordSeparator(table.lineEnding())
            .get();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            printer.printRecord(COLUMNS.stream().map(Column::header).toList());
            for (List<String> row : table.rows()) {
                startLines.add(lineBreaks(text.toString()) + 1);
                printer.printRecord(row.stream().map(SpreadsheetCells::neutralise).toList());
            }
        }
        Path file = Files.createTempFile("property", ".csv");

        try {
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);

            // when
            List<CsvRecord> records = new ArrayList<>();
            try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
                input.forEachRemaining(records::add);
                assertThat(input.delimiter()).isEqualTo(table.delimiter());
            }

            // then: every row that is not all blank comes back, cells exact and values trimmed
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < table.rows().size(); i++) {
                if (!table.rows().get(i).stream().allMatch(Whitespace::isBlank)) {
                    kept.add(i);
                }
            }
            assertThat(records).hasSize(kept.size());
            for (int r = 0; r < records.size(); r++) {
                List<String> row = table.rows().get(kept.get(r));
                CsvRecord record = records.get(r);
                assertThat(record.line()).isEqualTo(startLines.get(kept.get(r)));
                assertThat(record.cells()).isEqualTo(row);
                for (int c = 0; c < COLUMNS.size(); c++) {
                    assertThat(record.get(COLUMNS.get(c))).isEqualTo(Whitespace.trim(row.get(c)));
                }
            }
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("byteSeeds")
    void readsArbitraryBytesAsRecordsOrInputFileExceptionOnly(long seed) throws IOException {
        Random random = new Random(seed);
        byte[] bytes = file(random);
        InputOptions options = options(random);
        // given
        Path file = Files.createTempFile("bytes", ".csv");
        try {
            Files.write(file, bytes);

            // when
            long count = 0;
            try (CsvInput input = CsvInput.open(file, options)) {
                while (input.hasNext()) {
                    CsvRecord record = input.next();
                    count++;
                    // then: whatever was read honours the limits
                    assertThat(record.cells()).allMatch(cell -> cell.length() <= options.maxFieldChars());
                    assertThat(record.line()).isPositive();
                }
            }
            catch (InputFileException ex) {
                assertThat(ex.getMessage()).startsWith(file.getFileName().toString());
            }
            assertThat(count).isLessThanOrEqualTo(options.maxRecords());
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

    static Table table(Random random) {
        char[] delimiters = { ',', ';', '\t', '|' };
        char delimiter = delimiters[random.nextInt(delimiters.length)];
        String lineEnding = random.nextBoolean() ? "\n" : "\r\n";
        int rows = random.nextInt(9);
        List<List<String>> table = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < COLUMNS.size(); c++) {
                StringBuilder cell = new StringBuilder();
                int atoms = random.nextInt(7);
                for (int a = 0; a < atoms; a++) {
                    cell.append(ATOMS.get(random.nextInt(ATOMS.size())));
                }
                row.add(cell.toString());
            }
            table.add(row);
        }
        return new Table(delimiter, lineEnding, table);
    }

    static byte[] file(Random random) {
        // Mostly CSV-like bytes after a valid header, so that parsing gets past the header often.
        byte[] csvBytes = { ',', ';', '"', '\n', '\r', ' ', 'a', '\'', '=', (byte) 0xC3, (byte) 0xA9, (byte) 0x81,
                (byte) 0xFF, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 0 };
        byte[][] heads = { new byte[0],
                "serial_number,action_type,current_user_name,current_user_email\n".getBytes(StandardCharsets.UTF_8),
                "\uFEFFS/N;Action;Name;Email;Notes\r\n".getBytes(StandardCharsets.UTF_8) };
        byte[] tail = new byte[random.nextInt(301)];
        if (random.nextInt(4) == 0) {
            random.nextBytes(tail);
        }
        else {
            for (int i = 0; i < tail.length; i++) {
                tail[i] = csvBytes[random.nextInt(csvBytes.length)];
            }
        }
        return concat(heads[random.nextInt(heads.length)], tail);
    }

    static InputOptions options(Random random) {
        return new InputOptions(null, 10_000, 1 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(20));
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

    private static byte[] concat(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    record Table(char delimiter, String lineEnding, List<List<String>> rows) {
    }

}
