package dev.bulkoffboarding.input;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CsvInputTests {

    private static final String REQUIRED_HEADER = "serial_number,action_type,current_user_name,current_user_email";

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    @Test
    void readsEveryCanonicalColumn() {
        // given
        Path file = fixture("canonical.csv");

        // when
        List<CsvRecord> records;
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
            records = readAll(input);
            // the template's twelve columns; the external device's three are optional
            assertThat(input.columns()).hasSize(Column.NOTIFICATION_EMAILS.ordinal() + 1);
            assertThat(input.ignoredHeaders()).isEmpty();
            assertThat(input.warnings()).isEmpty();
            assertThat(input.charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(input.delimiter()).isEqualTo(',');
        }

        // then
        assertThat(records).extracting(CsvRecord::line).containsExactly(2L, 3L);
        CsvRecord reassign = records.get(1);
        assertThat(reassign.get(Column.SERIAL_NUMBER)).isEqualTo("PF3ABC12");
        assertThat(reassign.get(Column.ACTION_TYPE)).isEqualTo("Reassign");
        assertThat(reassign.get(Column.CURRENT_USER_COUNTRY)).isEqualTo("Germany");
        assertThat(reassign.get(Column.NEW_RECIPIENT_EMAIL)).isEqualTo("ann.lee@acme.example");
        assertThat(reassign.get(Column.NOTES)).isEmpty();
        assertThat(reassign.get(Column.NOTIFICATION_EMAILS)).isEqualTo("it@acme.example,hr@acme.example");
        assertThat(records.get(0).get(Column.CURRENT_USER_ADDRESS)).isEqualTo("123 Main St, Springfield");
    }

    @Test
    void mapsAliasHeadersAndIgnoresUnknownColumnsWithOneWarning() {
        // given
        Path file = fixture("aliases-semicolon.csv");

        // when
        List<CsvRecord> records;
        CsvInput opened;
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
            opened = input;
            records = readAll(input);
        }

        // then
        assertThat(opened.delimiter()).isEqualTo(';');
        assertThat(opened.headers()).startsWith("S/N", "Type of Action").endsWith("Department");
        assertThat(opened.columns()).containsEntry(Column.SERIAL_NUMBER, 0)
            .containsEntry(Column.NOTIFICATION_EMAILS, 11)
            .hasSize(12);
        assertThat(opened.ignoredHeaders()).containsExactly("Department");
        assertThat(opened.warnings()).singleElement().asString().contains("\"Department\" (column 13)");
        CsvRecord record = records.get(0);
        assertThat(record.get(Column.CURRENT_USER_NAME)).isEqualTo("Zoë Müller");
        assertThat(record.get(Column.WIPE)).isEqualTo("yes");
        assertThat(record.get(Column.NOTES)).isEqualTo("paid, not returned");
        assertThat(record.cells()).hasSize(13).endsWith("Finance");
    }

    @Test
    void rejectsTwoHeadersForTheSameColumn() {
        // given
        Path file = write("dup.csv", REQUIRED_HEADER + ",Email\nA,Store,Ann,a@x.example,b@x.example\n");

        // when
        InputFileException failure = catchThrowableOfType(InputFileException.class,
                () -> CsvInput.open(file, InputOptions.defaults()));

        // then
        assertThat(failure.line()).isEqualTo(1);
        assertThat(failure.column()).isEqualTo(5);
        assertThat(failure.getMessage()).startsWith("dup.csv: line 1, column 5: ")
            .contains("\"current_user_email\" (column 4)", "\"Email\" (column 5)", "current_user_email");
    }

    @Test
    void rejectsMissingRequiredColumnsBeforeReadingAnyRow() {
        // given: the data row is malformed too, but the header is checked first
        Path file = write("missing.csv", "Serial,Name,Department\n\"A,Ann,IT\n");

        // when
        InputFileException failure = catchThrowableOfType(InputFileException.class,
                () -> CsvInput.open(file, InputOptions.defaults()));

        // then
        assertThat(failure.line()).isEqualTo(1);
        assertThat(failure.column()).isZero();
        assertThat(failure.getMessage()).contains("action_type, current_user_email")
            .contains("\"Serial\", \"Name\", \"Department\"")
            .contains("serial_number, action_type, current_user_name, current_user_email");
    }

    @Test
    void readsHeaderOnlyFileAsZeroRecords() {
        // given
        Path file = write("header.csv", REQUIRED_HEADER + "\r\n");

        // when
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {

            // then
            assertThat(input.hasNext()).isFalse();
            assertThat(input.headers()).hasSize(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "\uFEFF", "  \n\t\r\n ", "\uFEFF\n\n", ",,,\n , ,\t\n" })
    void rejectsEmptyFile(String content) {
        // given
        Path file = write("empty.csv", content);

        // when / then
        assertThatThrownBy(() -> CsvInput.open(file, InputOptions.defaults()))
            .isInstanceOf(InputFileException.class)
            .hasMessage("empty.csv: the file is empty: expected a header line");
    }

    @Test
    void stripsUtf8ByteOrderMark() {
        // given
        Path file = write("bom.csv", "\uFEFF" + REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n");

        // when
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {

            // then
            assertThat(input.headers().get(0)).isEqualTo("serial_number");
            assertThat(input.next().get(Column.SERIAL_NUMBER)).isEqualTo("A");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "\n", "\r\n", "\r" })
    void acceptsAnyLineEnding(String lineEnding) {
        // given
        Path file = write("eol.csv", String.join(lineEnding, REQUIRED_HEADER, "A,Store,Ann,a@x.example",
                "B,\"Retri" + lineEnding + "eval\",Bob,b@x.example", "C,Store,Cy,c@x.example"));

        // when
        List<CsvRecord> records = readAll(file);

        // then
        assertThat(records).extracting(record -> record.get(Column.SERIAL_NUMBER)).containsExactly("A", "B", "C");
        assertThat(records).extracting(CsvRecord::line).containsExactly(2L, 3L, 5L);
        assertThat(records.get(1).get(Column.ACTION_TYPE)).isEqualTo("Retri" + lineEnding + "eval");
    }

    @Test
    void countsPhysicalLinesAcrossMultiLineFieldsAndBlankLines() {
        // given: CRLF file; a 3-line quoted note, blank and empty-cell lines, a CR inside quotes
        Path file = fixture("multiline.csv");

        // when
        List<CsvRecord> records = readAll(file);

        // then
        assertThat(records).extracting(record -> record.get(Column.SERIAL_NUMBER))
            .containsExactly("A1", "A2", "A3", "A4");
        assertThat(records).extracting(CsvRecord::line).containsExactly(2L, 3L, 8L, 10L);
        assertThat(records.get(1).get(Column.NOTES))
            .isEqualTo("first\r\nsecond, with comma\r\nthird \"quoted\"");
        assertThat(records.get(3).get(Column.NOTES)).isEqualTo("cr\rinside");
    }

    @Test
    void findsHeaderAfterLeadingBlankLines() {
        // given
        Path file = write("late.csv", "\n  \n" + REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n");

        // when
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {

            // then
            assertThat(input.headerLine()).isEqualTo(3);
            assertThat(input.next().line()).isEqualTo(4);
        }
    }

    @Test
    void trimsValuesButKeepsCellsAsRead() {
        // given
        Path file = write("spaces.csv", REQUIRED_HEADER + "\n  A1 ,\tStore, \u00A0Ann Lee ,\" a@x.example \"\n");

        // when
        CsvRecord record = readAll(file).get(0);

        // then
        assertThat(record.get(Column.SERIAL_NUMBER)).isEqualTo("A1");
        assertThat(record.get(Column.ACTION_TYPE)).isEqualTo("Store");
        assertThat(record.get(Column.CURRENT_USER_NAME)).isEqualTo("Ann Lee");
        assertThat(record.get(Column.CURRENT_USER_EMAIL)).isEqualTo("a@x.example");
        assertThat(record.values()).containsEntry(Column.SERIAL_NUMBER, "A1");
        assertThat(record.cells()).containsExactly("  A1 ", "\tStore", " \u00A0Ann Lee ", " a@x.example ");
    }

    @ParameterizedTest
    @ValueSource(chars = { ',', ';', '\t', '|' })
    void detectsDelimiterFromHeaderLine(char delimiter) {
        // given
        String header = REQUIRED_HEADER.replace(',', delimiter);
        Path file = write("delimited.csv", header + "\n\"A,1;2|3\"" + delimiter + "Store" + delimiter + "Ann"
                + delimiter + "a@x.example\n");

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        List<CsvRecord> records = readAll(input);

        // then
        assertThat(input.delimiter()).isEqualTo(delimiter);
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.get(Column.SERIAL_NUMBER)).isEqualTo("A,1;2|3");
            assertThat(record.get(Column.CURRENT_USER_EMAIL)).isEqualTo("a@x.example");
        });
    }

    @Test
    void ignoresDelimitersInsideQuotedHeaders() {
        // given: five commas inside quotes, four semicolons outside
        Path file = write("quoted-header.csv", REQUIRED_HEADER.replace(',', ';')
                + ";\"Notes, remarks, etc, etc, etc, etc\"\nA;Store;Ann;a@x.example;n\n");

        // when
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {

            // then
            assertThat(input.delimiter()).isEqualTo(';');
            assertThat(input.ignoredHeaders()).containsExactly("Notes, remarks, etc, etc, etc, etc");
        }
    }

    @Test
    void readsWindows1252WhenNotValidUtf8AndSaysSo() throws IOException {
        // given
        Path file = dir.resolve("legacy.csv");
        Files.write(file, (REQUIRED_HEADER + ",notes\nA,Store,Jürgen Müller,j@x.example,ok\n"
                + "B,Store,José Núñez,n@x.example,costs 5 € – “fine”\n").getBytes(WINDOWS_1252));

        // when
        List<CsvRecord> records;
        List<String> warnings;
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
            records = readAll(input);
            warnings = input.warnings();
            assertThat(input.charset()).isEqualTo(WINDOWS_1252);
        }

        // then
        assertThat(records).extracting(record -> record.get(Column.CURRENT_USER_NAME))
            .containsExactly("Jürgen Müller", "José Núñez");
        assertThat(records.get(1).get(Column.NOTES)).isEqualTo("costs 5 € – “fine”");
        assertThat(warnings).containsExactly(
                "not valid UTF-8 (first bad byte on line 2): read as windows-1252; "
                        + "pass --offboarding.input.encoding to choose");
    }

    @Test
    void readsRequestedEncodingWithoutDetecting() throws IOException {
        // given: "Ã©" is valid UTF-8 for "é", so detection alone would read this Latin-1 file wrongly
        Path file = dir.resolve("latin.csv");
        Files.write(file, (REQUIRED_HEADER + "\nA,Store,RenÃ©,r@x.example\n").getBytes(StandardCharsets.ISO_8859_1));

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults().withEncoding(StandardCharsets.ISO_8859_1));
        List<CsvRecord> records = readAll(input);

        // then
        assertThat(records.get(0).get(Column.CURRENT_USER_NAME)).isEqualTo("RenÃ©");
        assertThat(input.warnings()).isEmpty();
    }

    @Test
    void rejectsBytesInvalidInTheRequestedEncoding() throws IOException {
        // given
        Path file = dir.resolve("wrong.csv");
        Files.write(file, (REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\nB,Store,Müller,m@x.example\n")
            .getBytes(WINDOWS_1252));

        // when
        InputFileException failure = catchThrowableOfType(InputFileException.class,
                () -> CsvInput.open(file, InputOptions.defaults().withEncoding(StandardCharsets.UTF_8)));

        // then
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.getMessage()).contains("not valid UTF-8", "--offboarding.input.encoding");
    }

    @Test
    void readsUtf16WithByteOrderMark() throws IOException {
        // given: what a spreadsheet's "Unicode text" export looks like
        Path file = dir.resolve("unicode.txt");
        Files.write(file, ("\uFEFF" + REQUIRED_HEADER.replace(',', '\t') + "\r\nA\tStore\tŁucja\tl@x.example\r\n")
            .getBytes(StandardCharsets.UTF_16LE));

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        List<CsvRecord> records = readAll(input);

        // then
        assertThat(input.charset()).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(input.headers().get(0)).isEqualTo("serial_number");
        assertThat(records.get(0).get(Column.CURRENT_USER_NAME)).isEqualTo("Łucja");
    }

    @Test
    void rejectsSpreadsheetWorkbook() throws IOException {
        // given
        Path file = dir.resolve("offboarding.xlsx");
        Files.write(file, new byte[] { 'P', 'K', 3, 4, 20, 0, 6, 0, (byte) 0x81, (byte) 0xFF });

        // when / then
        assertThatThrownBy(() -> CsvInput.open(file, InputOptions.defaults()))
            .isInstanceOf(InputFileException.class)
            .hasMessageContaining("workbook")
            .hasMessageContaining("CSV UTF-8");
    }

    @Test
    void rejectsMissingFile() {
        // given
        Path file = dir.resolve("nope.csv");

        // when / then
        assertThatThrownBy(() -> CsvInput.open(file, InputOptions.defaults()))
            .isInstanceOf(InputFileException.class)
            .hasMessage("nope.csv: the file does not exist");
    }

    @Test
    void reportsUnclosedQuoteAtTheLineWhereTheRecordStarts() {
        // given
        Path file = write("unclosed.csv", REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n"
                + "B,Store,\"Bob\n\nC,Store,Cy,c@x.example\n");

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        CsvRecord first = input.next();
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(first.get(Column.SERIAL_NUMBER)).isEqualTo("A");
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.column()).isEqualTo(3);
        assertThat(failure.getMessage()).startsWith("unclosed.csv: line 3, column 3: a quoted field is never closed");
    }

    @Test
    void reportsTextAfterClosingQuote() {
        // given
        Path file = write("text-after.csv", REQUIRED_HEADER + "\r\nA,Store,Ann,a@x.example\r\n"
                + "B,Store,\"Bob\" Lee,b@x.example\r\n");

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        input.next();
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::next);

        // then
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.column()).isEqualTo(3);
        assertThat(failure.getMessage()).contains("text follows the closing quote");
    }

    @Test
    void keepsFailingAfterMalformedRecordInsteadOfPretendingTheFileEnded() {
        // given
        Path file = write("broken.csv", REQUIRED_HEADER + "\nA,Store,\"Ann,a@x.example\n");
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        InputFileException first = catchThrowableOfType(InputFileException.class, input::hasNext);

        // when
        Throwable second = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(second).isSameAs(first);
    }

    @Test
    void rejectsFileLargerThanMaxFileBytesBeforeReading() {
        // given
        Path file = write("big.csv", REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n");
        InputOptions options = new InputOptions(null, 20, 100, 10, 10);

        // when / then
        assertThatThrownBy(() -> CsvInput.open(file, options))
            .isInstanceOf(InputFileException.class)
            .hasMessageContaining("more than the limit of 20 (offboarding.input.max-file-size)");
    }

    @Test
    void rejectsFieldLongerThanMaxFieldChars() {
        // given
        Path file = write("long.csv", REQUIRED_HEADER + ",department\nA,Store,Ann,a@x.example,short\n"
                + "B,Store,Bob,b@x.example,\"" + "x".repeat(21) + "\"\n");
        InputOptions options = new InputOptions(null, 1 << 20, 20, 10, 10);

        // when
        CsvInput input = CsvInput.open(file, options);
        input.next();
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::next);

        // then
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.column()).isEqualTo(5);
        assertThat(failure.getMessage()).contains("longer than 20 characters (offboarding.input.max-field-length)");
    }

    @Test
    void stopsAnUnbalancedQuoteSwallowingFiftyMegabytesWithinTheRecordBudget() throws IOException {
        // given: one quote opens a field that runs to the end of a 50 MB file
        Path file = dir.resolve("runaway.csv");
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write(REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\nB,Store,\"Bob");
            char[] chunk = new char[1 << 16];
            Arrays.fill(chunk, 'b');
            for (int i = 0; i < 800; i++) {
                out.write(chunk);
                out.write('\n');
            }
        }

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        input.next();
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then: the parser was stopped by the budget, not by reaching the end of the file
        assertThat(failure.getCause()).isInstanceOf(BoundedReader.RecordTooLongException.class);
        assertThat(failure.line()).isEqualTo(3);
        assertThat(failure.column()).isEqualTo(3);
        assertThat(failure.getMessage()).contains("longer than 10000 characters", "closing quote");
    }

    @Test
    void rejectsRecordFarLongerThanItsColumnsNeed() {
        // given: tens of thousands of short cells, each within maxFieldChars
        Path file = write("ragged.csv", REQUIRED_HEADER + "\n" + "a,".repeat(40_000) + "a\n");
        InputOptions options = new InputOptions(null, 1 << 20, 20, 10, 10);

        // when
        CsvInput input = CsvInput.open(file, options);
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(failure.getCause()).isInstanceOf(BoundedReader.RecordTooLongException.class);
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.getMessage()).contains("far more than 4 columns need");
    }

    @Test
    void keepsLineBreaksInsideQuotedCellsAsSpreadsheetsWriteThem() {
        // given: CRLF between records; inside cells LF (Excel's Alt+Enter, LibreOffice, Google Sheets),
        // CRLF and CR (old Mac exports)
        Path file = write("addresses.csv", REQUIRED_HEADER + ",current_user_address,notes\r\n"
                + "A,Store,Ann,a@x.example,\"12 Main St\nSpringfield\nIL 62701\",\"two\r\nlines\"\r\n"
                + "B,Store,Bob,b@x.example,\"1 Rue X\r75002 Paris\",\r\n"
                + "C,Store,Cy,c@x.example,,\r\n");

        // when
        List<CsvRecord> records = readAll(file);

        // then
        assertThat(records).extracting(CsvRecord::line).containsExactly(2L, 6L, 8L);
        assertThat(records.get(0).get(Column.CURRENT_USER_ADDRESS)).isEqualTo("12 Main St\nSpringfield\nIL 62701");
        assertThat(records.get(0).get(Column.NOTES)).isEqualTo("two\r\nlines");
        assertThat(records.get(1).get(Column.CURRENT_USER_ADDRESS)).isEqualTo("1 Rue X\r75002 Paris");
    }

    @Test
    void readsANotesCellOfAHundredThousandCharactersWithTheDefaultLimits() {
        // given: 100 KB of notes on 40 lines
        String notes = String.join("\n", java.util.Collections.nCopies(40, "n".repeat(2_560)));
        Path file = write("long-notes.csv", REQUIRED_HEADER + ",notes\nA,Store,Ann,a@x.example,\"" + notes + "\"\n"
                + "B,Store,Bob,b@x.example,short\n");

        // when
        List<CsvRecord> records = readAll(file);

        // then
        assertThat(notes).hasSizeGreaterThan(100_000);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get(Column.NOTES)).isEqualTo(notes);
        assertThat(records.get(1).line()).isEqualTo(42);
    }

    @Test
    void keepsTheFieldLimitForEveryCellButNotes() {
        // given: the same 100 KB in a name
        Path file = write("long-name.csv", REQUIRED_HEADER + ",notes\nA,Store,\"" + "n".repeat(100_000)
                + "\",a@x.example,short\n");

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isEqualTo(3);
        assertThat(failure.getMessage()).contains("longer than 10000 characters (offboarding.input.max-field-length)");
    }

    @Test
    void refusesNotesLongerThanTheNotesLimitNamingItsProperty() {
        // given
        Path file = write("too-long-notes.csv", REQUIRED_HEADER + ",notes\nA,Store,Ann,a@x.example,"
                + "x".repeat(31) + "\n");
        InputOptions options = new InputOptions(null, 1 << 20, 20, 10, 10, 30, 5);

        // when
        CsvInput input = CsvInput.open(file, options);
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isEqualTo(5);
        assertThat(failure.getMessage()).contains("longer than 30 characters (offboarding.input.max-notes-length)");
    }

    @Test
    void acceptsACellOfExactlyMaxLinesPerCellAndRefusesOneMore() {
        // given: at most 3 lines per cell
        InputOptions options = new InputOptions(null, 1 << 20, 100, 10, 10, 100, 3);
        Path fits = write("fits.csv", REQUIRED_HEADER + ",notes\nA,Store,Ann,a@x.example,\"1\n2\r\n3\"\n");
        Path over = write("over.csv", REQUIRED_HEADER + ",notes\nA,Store,Ann,a@x.example,\"1\n2\r\n3\r4\"\n");

        // when
        List<CsvRecord> read;
        try (CsvInput input = CsvInput.open(fits, options)) {
            read = readAll(input);
        }
        CsvInput refused = CsvInput.open(over, options);
        InputFileException failure = catchThrowableOfType(InputFileException.class, refused::hasNext);

        // then
        assertThat(read).singleElement().satisfies((record) -> assertThat(record.get(Column.NOTES)).isEqualTo("1\n2\r\n3"));
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isEqualTo(5);
        assertThat(failure.getMessage()).startsWith("over.csv: line 2, column 5: a quoted field spans more than 3 lines "
                + "(offboarding.input.max-lines-per-cell)");
    }

    @Test
    void refusesAStrayQuoteThatClosesAtAnotherStrayQuoteFiveHundredLinesLaterNamingWhereItOpened() {
        // given: a note opens a quote on line 11 by mistake; a stray quote at the end of a cell 500
        // lines later closes it, so the parser itself sees one long, well-formed record
        StringBuilder content = new StringBuilder(REQUIRED_HEADER + ",current_user_address,notes\n");
        for (int i = 2; i <= 10; i++) {
            content.append("S").append(i).append(",Store,P").append(i).append(",p").append(i)
                .append("@x.example,\"1 Main St\nTown\",fine\n");
        }
        content.append("S11,Store,Ann,a@x.example,1 Main St,\"leaving 15th\n");
        for (int i = 12; i < 511; i++) {
            content.append("S").append(i).append(",Store,P").append(i).append(",p").append(i).append("@x.example,,\n");
        }
        content.append("S511,Store,Zed,z@x.example,,returns a screen of 15\"\n");
        Path file = write("swallowed.csv", content.toString());

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        List<CsvRecord> before = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            before.add(input.next());
        }
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then: lines 2-19 (nine records of two lines) were read, then the swallowing quote is named
        assertThat(before).extracting(CsvRecord::line).endsWith(18L);
        assertThat(failure.getCause()).as("refused by the line count, not by the parser").isNull();
        assertThat(failure.line()).isEqualTo(20);
        assertThat(failure.column()).isEqualTo(6);
        assertThat(failure.getMessage()).isEqualTo("swallowed.csv: line 20, column 6: a quoted field spans more than 100 "
                + "lines (offboarding.input.max-lines-per-cell): its opening quote (\") is probably unmatched, so the "
                + "rows below were read into it; fix the quotes in that cell, or raise the limit if the cell really has "
                + "that many lines");
    }

    @Test
    void namesTheLineWhereTheSwallowingQuoteOpensWhenAnEarlierCellOfTheRecordSpansLines() {
        // given: the record starts on line 2 with a two-line address; the note's quote opens on line 3
        StringBuilder content = new StringBuilder(REQUIRED_HEADER + ",current_user_address,notes\n"
                + "A,Store,Ann,a@x.example,\"1 Main St\nTown\",\"oops\n");
        for (int i = 0; i < 200; i++) {
            content.append("R").append(i).append(",Store,P,p@x.example,,\n");
        }
        Path file = write("unclosed-late.csv", content.toString());

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then: the quote never closes, and is refused where it opened, not at the end of the file
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isEqualTo(6);
        assertThat(failure.getMessage()).startsWith("unclosed-late.csv: line 2, column 6: a quoted field spans more than "
                + "100 lines (offboarding.input.max-lines-per-cell) (the field starts on line 3)");
    }

    @Test
    void rejectsMoreHeaderColumnsThanMaxColumns() {
        // given
        Path file = write("wide.csv", REQUIRED_HEADER + ",a,b,c\nA,Store,Ann,a@x.example\n");
        InputOptions options = new InputOptions(null, 1 << 20, 100, 6, 10);

        // when
        InputFileException failure = catchThrowableOfType(InputFileException.class,
                () -> CsvInput.open(file, options));

        // then
        assertThat(failure.line()).isEqualTo(1);
        assertThat(failure.column()).isEqualTo(7);
        assertThat(failure.getMessage()).contains("7 columns", "limit of 6 (offboarding.input.max-columns)");
    }

    @Test
    void rejectsMoreRecordsThanMaxRecords() {
        // given
        Path file = write("many.csv", REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n\nB,Store,Bob,b@x.example\n");
        InputOptions options = new InputOptions(null, 1 << 20, 100, 10, 1);
        CsvInput input = CsvInput.open(file, options);
        input.next();

        // when
        InputFileException failure = catchThrowableOfType(InputFileException.class, input::hasNext);

        // then
        assertThat(failure.line()).isEqualTo(4);
        assertThat(failure.getMessage()).contains("more than 1 records (offboarding.input.max-rows)");
    }

    @Test
    void ignoresExtraCellsWithOneWarningAndReadsMissingCellsAsEmpty() {
        // given
        Path file = write("ragged.csv", REQUIRED_HEADER + ",notes\nA,Store,Ann,a@x.example,n,extra\n"
                + "B,Store,Bob,b@x.example,n,extra,more\nC,Store\n");

        // when
        CsvInput input = CsvInput.open(file, InputOptions.defaults());
        List<CsvRecord> records = readAll(input);

        // then
        assertThat(records.get(0).cells()).hasSize(6);
        assertThat(records.get(0).values()).hasSize(5).doesNotContainValue("extra");
        assertThat(records.get(2).values()).containsEntry(Column.CURRENT_USER_EMAIL, "").containsEntry(Column.NOTES, "");
        assertThat(records.get(2).cells()).containsExactly("C", "Store");
        assertThat(input.warnings()).singleElement().asString()
            .contains("line 2", "6 cells but the header has 5", "ignored");
    }

    @Test
    void restoresCellsNeutralisedByOurReports() {
        // given: a failures.csv written by the report feature, fed back as input
        Path file = fixture("failures-roundtrip.csv");

        // when
        CsvRecord record = readAll(file).get(0);

        // then
        assertThat(record.get(Column.CURRENT_USER_PHONE)).isEqualTo("+44 20 7946 0000");
        assertThat(record.get(Column.NOTES)).isEqualTo("=HYPERLINK(\"http://evil.example\",\"x\")");
        assertThat(record.cells().get(4)).isEqualTo("+44 20 7946 0000");
    }

    @Test
    void releasesTheFileOnClose() throws IOException {
        // given
        Path file = write("close.csv", REQUIRED_HEADER + "\nA,Store,Ann,a@x.example\n");
        CsvInput input = CsvInput.open(file, InputOptions.defaults());

        // when
        input.close();
        input.close();

        // then: no record after close, and the file can go (Windows refuses to delete open files)
        assertThat(input.hasNext()).isFalse();
        Files.delete(file);
    }

    private Path write(String name, String content) {
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8)) {
            out.write(content);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return dir.resolve(name);
    }

    private static Path fixture(String name) {
        try {
            return Path.of(CsvInputTests.class.getResource("/input/" + name).toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static List<CsvRecord> readAll(Path file) {
        try (CsvInput input = CsvInput.open(file, InputOptions.defaults())) {
            return readAll(input);
        }
    }

    private static List<CsvRecord> readAll(CsvInput input) {
        List<CsvRecord> records = new ArrayList<>();
        input.forEachRemaining(records::add);
        return records;
    }

}
