package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams the records of an offboarding CSV file, one at a time, in bounded memory.
 * <p>
 * {@link #open(Path, InputOptions)} settles the encoding (see {@link InputOptions#encoding()}),
 * guesses the delimiter from the header line, reads the header and maps it to {@link Column}s;
 * every structural problem found there, or later while iterating, is an
 * {@link InputFileException} naming the file, line and column. Values are not validated here.
 * <p>
 * What a record is:
 * <ul>
 * <li>the header is the first line with a non-blank cell; blank lines, and rows whose cells are
 * all blank, are skipped silently and are not records;</li>
 * <li>{@link CsvRecord#line()} is the physical line where the record starts, counting every line
 * break in the file (Commons CSV's record number is not that when fields span lines);</li>
 * <li>every cell goes through {@link SpreadsheetCells#restore(String)}, so a report we wrote
 * (with formula-like cells neutralised) read back as input gives the original values. The price
 * is that a cell a person typed as {@code '=x} reads as {@code =x}, which is also what their
 * spreadsheet showed them;</li>
 * <li>cells beyond the header's are ignored (one warning per file); missing cells read as ""; a
 * record with more cells than {@link InputOptions#maxColumns()} is an error, like such a header;</li>
 * <li>a cell may hold line breaks (CR, LF or CRLF, kept as written), up to
 * {@link InputOptions#maxLinesPerCell()} lines: more is taken for a quote that swallowed the rows
 * below it, and refused naming the line and column where that quote opened.</li>
 * </ul>
 * Not thread-safe: one reader per file, used by one thread, then {@link #close() closed}.
 */
public final class CsvInput implements Iterator<CsvRecord>, AutoCloseable {

    /** Slack above the longest legal record: the parser reads ahead by up to one buffer. */
    private static final long READ_AHEAD_CHARS = 1 << 16;

    private final SourceFile source;
    private final InputOptions options;
    private final char delimiter;
    private final BoundedReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> parsed;
    private final List<String> warnings;

    private final Header header;
    private final Column[] mappedColumns;
    private final int[] mappedIndexes;
    /** The longest cell accepted at each index of the header; cells beyond it get maxFieldChars. */
    private final int[] cellLimits;

    private CsvRecord next;
    private long records;
    private boolean extraCellsReported;
    private InputFileException failure;
    private boolean closed;

    private CsvInput(SourceFile source, InputOptions options, char delimiter) throws IOException {
        this.source = source;
        this.options = options;
        this.delimiter = delimiter;
        this.warnings = new ArrayList<>(source.warnings());
        this.reader = new BoundedReader(source.openReader(), recordBudget(options, options.maxColumns()));
        try {
            this.parser = CSVParser.parse(reader, format(delimiter));
        }
        catch (IOException | RuntimeException ex) {
            reader.close();
            throw ex;
        }
        this.parsed = parser.iterator();
        try {
            this.header = readHeader();
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
        header.warning().ifPresent(warnings::add);
        this.mappedColumns = header.columns().keySet().toArray(new Column[0]);
        this.mappedIndexes = header.columns().values().stream().mapToInt(Integer::intValue).toArray();
        this.cellLimits = new int[header.cells().size()];
        Arrays.fill(cellLimits, options.maxFieldChars());
        header.columns().forEach((column, index) -> cellLimits[index] = options.maxChars(column));
        reader.budget(recordBudget(cellLimits));
    }

    /**
     * Opens a file and reads its header.
     *
     * @throws InputFileException if the file cannot be read, is empty, exceeds a limit, or its
     * header lacks a required column or names a column twice
     */
    public static CsvInput open(Path file, InputOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        SourceFile source = SourceFile.inspect(file, options);
        try {
            char delimiter;
            try (Reader text = source.openReader()) {
                delimiter = DelimiterSniffer.sniff(text, recordBudget(options, options.maxColumns()));
            }
            return new CsvInput(source, options, delimiter);
        }
        catch (IOException ex) {
            throw SourceFile.unreadable(file, ex);
        }
    }

    /** The file being read. */
    public Path file() {
        return source.file();
    }

    /** The header cells as written in the file (byte order mark stripped, not trimmed). */
    public List<String> headers() {
        return header.cells();
    }

    /** The physical line of the header: 1 unless blank lines come first. */
    public long headerLine() {
        return header.line();
    }

    /** The 0-based index in {@link CsvRecord#cells()} of every column the header has. */
    public Map<Column, Integer> columns() {
        return header.columns();
    }

    /** The non-blank headers that mean no {@link Column}; their cells are ignored. */
    public List<String> ignoredHeaders() {
        return header.ignored();
    }

    /** The encoding the file is read in. */
    public Charset charset() {
        return source.charset();
    }

    /** The delimiter found in the header line. */
    public char delimiter() {
        return delimiter;
    }

    /**
     * Human-readable notes about the file so far (encoding fallback, ignored columns, extra cells).
     * Iterating may add to them; this is a snapshot.
     */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * @throws InputFileException if the rest of the file is malformed or exceeds a limit; once
     * thrown, every later call throws it again rather than pretend the file ended
     */
    @Override
    public boolean hasNext() {
        if (failure != null) {
            throw failure;
        }
        if (next == null && !closed) {
            try {
                next = readRecord();
            }
            catch (InputFileException ex) {
                failure = ex;
                close();
                throw ex;
            }
        }
        return next != null;
    }

    /**
     * @throws InputFileException as {@link #hasNext()} does
     * @throws NoSuchElementException after the last record
     */
    @Override
    public CsvRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + file().getFileName());
        }
        CsvRecord record = next;
        next = null;
        return record;
    }

    /** Releases the file. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            next = null;
            try {
                parser.close();
            }
            catch (IOException ex) {
                // Nothing was written, so a failing close loses nothing worth reporting.
            }
        }
    }

    private static CSVFormat format(char delimiter) {
        return CSVFormat.DEFAULT.builder()
            .setDelimiter(delimiter)
            .setQuote('"')
            .setEscape(null)
            .setCommentMarker(null)
            // Blank lines come back as records, so the line count and the record budget stay exact.
            .setIgnoreEmptyLines(false)
            // Values are trimmed by us; cells keep their spaces.
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setNullString(null)
            .get();
    }

    /**
     * The most characters one record may pull: every column at the limit with each character a
     * doubled quote, plus the parser's read-ahead.
     */
    private static long recordBudget(InputOptions options, int columnCount) {
        return (long) Math.max(columnCount, 1) * (2L * options.maxFieldChars() + 3) + READ_AHEAD_CHARS;
    }

    /** As above, once the header says which column is which (the notes cell has a limit of its own). */
    private static long recordBudget(int[] cellLimits) {
        long budget = READ_AHEAD_CHARS;
        for (int limit : cellLimits) {
            budget += 2L * limit + 3;
        }
        return cellLimits.length == 0 ? budget + 3 : budget;
    }

    private Header readHeader() {
        CSVRecord raw;
        long line;
        do {
            line = parser.getCurrentLineNumber() + 1;
            raw = nextRaw(line);
            if (raw == null) {
                throw new InputFileException(file(), 0, 0, "the file is empty: expected a header line");
            }
        }
        while (isBlank(raw));
        if (raw.size() > options.maxColumns()) {
            throw new InputFileException(file(), line, options.maxColumns() + 1, "the header has " + raw.size()
                    + " columns, more than the limit of " + options.maxColumns()
                    + " (offboarding.input.max-columns): is this the right file?");
        }
        String[] cells = cells(raw, line);
        if (!cells[0].isEmpty() && cells[0].charAt(0) == '\uFEFF') {
            // A BOM the byte-level check could not see, e.g. in a file read with an explicit encoding.
            cells[0] = cells[0].substring(1);
        }
        return Header.map(file(), line, Arrays.asList(cells), delimiter);
    }

    private CsvRecord readRecord() {
        CSVRecord raw;
        long line;
        do {
            line = parser.getCurrentLineNumber() + 1;
            raw = nextRaw(line);
            if (raw == null) {
                return null;
            }
        }
        while (isBlank(raw));
        if (++records > options.maxRecords()) {
            throw new InputFileException(file(), line, 0, "more than " + options.maxRecords()
                    + " records (offboarding.input.max-rows): split the file into smaller ones");
        }
        if (raw.size() > options.maxColumns()) {
            // The column limit bounds every record, not only the header: thousands of cells in one row
            // are a broken row (unquoted delimiters), not trailing blanks worth a warning.
            throw new InputFileException(file(), line, options.maxColumns() + 1, "the record has " + raw.size()
                    + " cells, more than the limit of " + options.maxColumns()
                    + " (offboarding.input.max-columns): check its delimiters and quotes");
        }
        String[] cells = cells(raw, line);
        int headerSize = header.cells().size();
        if (cells.length > headerSize && !extraCellsReported) {
            extraCellsReported = true;
            warnings.add("line " + line + ": " + cells.length + " cells but the header has " + headerSize
                    + "; extra cells are ignored (reported once per file)");
        }
        EnumMap<Column, String> values = new EnumMap<>(Column.class);
        for (int i = 0; i < mappedColumns.length; i++) {
            int index = mappedIndexes[i];
            values.put(mappedColumns[i], index < cells.length ? Whitespace.trim(cells[index]) : "");
        }
        return new CsvRecord(line, values, Arrays.asList(cells));
    }

    /** The next record from the parser, or null at the end; any failure becomes an InputFileException. */
    private CSVRecord nextRaw(long line) {
        try {
            CSVRecord raw = parsed.hasNext() ? parsed.next() : null;
            reader.startRecord();
            return raw;
        }
        catch (UncheckedIOException ex) {
            throw malformed(line, ex.getCause());
        }
    }

    private String[] cells(CSVRecord raw, long line) {
        String[] cells = new String[raw.size()];
        for (int i = 0; i < cells.length; i++) {
            String cell = raw.get(i);
            if (cell.length() > maxChars(i + 1)) {
                throw tooLong(line, i + 1, fieldLine(raw, line, i));
            }
            if ((cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0)
                    && lineBreaks(cell) >= options.maxLinesPerCell()) {
                throw tooManyLines(line, i + 1, fieldLine(raw, line, i));
            }
            cells[i] = SpreadsheetCells.restore(cell);
        }
        return cells;
    }

    /** The longest cell accepted in a 1-based column: the header's cells all get maxFieldChars. */
    private int maxChars(int column) {
        return (cellLimits != null && column <= cellLimits.length) ? cellLimits[column - 1] : options.maxFieldChars();
    }

    private String maxCharsProperty(int column) {
        boolean notes = cellLimits != null && header.columns().getOrDefault(Column.NOTES, -1) == column - 1;
        return notes ? "offboarding.input.max-notes-length" : "offboarding.input.max-field-length";
    }

    /** The physical line where a record's cell starts: cells before it may span lines. */
    private static long fieldLine(CSVRecord raw, long line, int index) {
        long fieldLine = line;
        for (int i = 0; i < index; i++) {
            fieldLine += lineBreaks(raw.get(i));
        }
        return fieldLine;
    }

    /** Line breaks as the line count sees them: CR, LF, and CRLF as one. */
    static long lineBreaks(String text) {
        long breaks = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                breaks++;
            }
        }
        return breaks;
    }

    private static boolean isBlank(CSVRecord raw) {
        for (int i = 0; i < raw.size(); i++) {
            if (!Whitespace.isBlank(raw.get(i))) {
                return false;
            }
        }
        return true;
    }

    private InputFileException tooLong(long line, int column, long fieldLine) {
        return new InputFileException(file(), line, column, tooLongDetail(line, column, fieldLine));
    }

    private String tooLongDetail(long line, int column, long fieldLine) {
        return "a field is longer than " + maxChars(column) + " characters (" + maxCharsProperty(column) + ")"
                + where(line, fieldLine) + ": if it starts with a quote (\"), the closing quote is probably missing";
    }

    private InputFileException tooManyLines(long line, int column, long fieldLine) {
        return new InputFileException(file(), line, column, tooManyLinesDetail(line, fieldLine));
    }

    private String tooManyLinesDetail(long line, long fieldLine) {
        return "a quoted field spans more than " + options.maxLinesPerCell()
                + " lines (offboarding.input.max-lines-per-cell)" + where(line, fieldLine)
                + ": its opening quote (\") is probably unmatched, so the rows below were read into it; fix the "
                + "quotes in that cell, or raise the limit if the cell really has that many lines";
    }

    private static String where(long line, long fieldLine) {
        return fieldLine == line ? "" : " (the field starts on line " + fieldLine + ")";
    }

    private InputFileException malformed(long line, IOException cause) {
        if (cause instanceof CharacterCodingException) {
            // Only if the file changed after its encoding was checked.
            return new InputFileException(file(), line, 0, "not valid " + charset().name()
                    + ": pass the file's real encoding with --offboarding.input.encoding", cause);
        }
        if (!(cause instanceof CSVException) && !(cause instanceof BoundedReader.RecordTooLongException)) {
            return new InputFileException(file(), line, 0, "the file cannot be read: " + cause.getMessage(), cause);
        }
        Optional<RecordDiagnosis.Problem> problem = diagnose(line);
        if (problem.isEmpty() && cause instanceof BoundedReader.RecordTooLongException) {
            String columnCount = header == null ? "its" : String.valueOf(header.cells().size());
            return new InputFileException(file(), line, 0, "the record starting here is longer than "
                    + reader.budget() + " characters, far more than " + columnCount
                    + " columns need: check its delimiters and quotes", cause);
        }
        if (problem.isEmpty()) {
            return new InputFileException(file(), line, 0, "the record starting here is not valid CSV ("
                    + cause.getMessage() + "): check its quotes", cause);
        }
        RecordDiagnosis.Problem found = problem.get();
        String where = where(line, found.fieldLine());
        String detail = switch (found.fault()) {
            case TOO_LONG -> tooLongDetail(line, found.column(), found.fieldLine());
            case TOO_MANY_LINES -> tooManyLinesDetail(line, found.fieldLine());
            case UNCLOSED_QUOTE -> "a quoted field is never closed" + where
                    + ": add the missing quote (\"), or double the quotes inside the field (\"\")";
            case TEXT_AFTER_QUOTE -> "text follows the closing quote of a field" + where
                    + ": quote the whole field and double the quotes inside it (\"\")";
        };
        return new InputFileException(file(), line, found.column(), detail, cause);
    }

    private Optional<RecordDiagnosis.Problem> diagnose(long line) {
        try (Reader text = source.openReader()) {
            return RecordDiagnosis.diagnose(text, line, delimiter, this::maxChars, options.maxLinesPerCell(),
                    reader.budget());
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }

}
