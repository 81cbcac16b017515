package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import static org.assertj.core.api.Assertions.assertThat;

class CsvInputPropertyTests {

    private static final List<Column> COLUMNS = List.of(Column.values());

    /** Pieces of cell text: CSV syntax, line breaks, blanks, formula triggers and non-ASCII. */
    private static final List<String> ATOMS = List.of("a", "Z", "7", " ", "  ", "\t", "\"", "\"\"", ",", ";", "|",
            "\r", "\n", "\r\n", "'", "=", "+", "-", "@", "é", "ß", "€", "中文", "😀", "\u00A0", "\uFEFF", "\0", "x@y.z");

    @Property(tries = 300)
    void readsBackWhatCommonsCsvWrote(@ForAll("tables") Table table) throws IOException {
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

    @Property(tries = 500)
    void readsArbitraryBytesAsRecordsOrInputFileExceptionOnly(@ForAll("files") byte[] bytes,
            @ForAll("options") InputOptions options) throws IOException {
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

    @Provide
    Arbitrary<Table> tables() {
        Arbitrary<String> cell = Arbitraries.of(ATOMS).list().ofMaxSize(6).map(atoms -> String.join("", atoms));
        Arbitrary<List<String>> row = cell.list().ofSize(COLUMNS.size());
        return Combinators.combine(Arbitraries.of(',', ';', '\t', '|'), Arbitraries.of("\n", "\r\n"),
                row.list().ofMaxSize(8))
            .as(Table::new);
    }

    @Provide
    Arbitrary<byte[]> files() {
        // Mostly CSV-like bytes after a valid header, so that parsing gets past the header often.
        Arbitrary<Byte> csvByte = Arbitraries.of((byte) ',', (byte) ';', (byte) '"', (byte) '\n', (byte) '\r',
                (byte) ' ', (byte) 'a', (byte) '\'', (byte) '=', (byte) 0xC3, (byte) 0xA9, (byte) 0x81, (byte) 0xFF,
                (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0);
        Arbitrary<byte[]> tail = Arbitraries.frequencyOf(
                Tuple.of(3, csvByte.list().ofMaxSize(300).map(CsvInputPropertyTests::toArray)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
        Arbitrary<byte[]> head = Arbitraries.of(new byte[0],
                "serial_number,action_type,current_user_name,current_user_email\n".getBytes(StandardCharsets.UTF_8),
                "\uFEFFS/N;Action;Name;Email;Notes\r\n".getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(head, tail).as(CsvInputPropertyTests::concat);
    }

    @Provide
    Arbitrary<InputOptions> options() {
        return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 12),
                Arbitraries.longs().between(1, 20))
            .as((maxFieldChars, maxColumns, maxRecords) -> new InputOptions(null, 10_000, maxFieldChars, maxColumns,
                    maxRecords));
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

    private static byte[] toArray(List<Byte> bytes) {
        byte[] array = new byte[bytes.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = bytes.get(i);
        }
        return array;
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
