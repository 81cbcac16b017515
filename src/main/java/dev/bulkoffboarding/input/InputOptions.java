package dev.bulkoffboarding.input;

import java.nio.charset.Charset;

/**
 * How a CSV file is read, and the limits that keep a wrong or hostile file from exhausting memory.
 * Error messages name each limit by the application property that sets it
 * ({@code offboarding.input.max-rows} and so on).
 *
 * @param encoding the file's encoding, or {@code null} to detect it (UTF-8, a byte order mark, or
 * windows-1252 when the bytes are not valid UTF-8)
 * @param maxFileBytes the largest file accepted, checked before reading
 * @param maxFieldChars the longest cell accepted, in characters, except in the notes column
 * @param maxColumns the most columns accepted, in the header and in every record
 * @param maxRecords the most records (non-blank rows after the header) accepted
 * @param maxNotesChars the longest notes cell accepted, in characters
 * @param maxLinesPerCell the most lines one cell may span (a cell with n line breaks spans n + 1)
 */
public record InputOptions(Charset encoding, long maxFileBytes, int maxFieldChars, int maxColumns,
        long maxRecords, int maxNotesChars, int maxLinesPerCell) {

    private static final long ONE_GIB = 1L << 30;

    /** A notes cell may hold a pasted document: twice a 100 KB cell. */
    private static final int DEFAULT_MAX_NOTES_CHARS = 200_000;

    /**
     * A typed address takes a few lines and notes a few dozen (Excel itself stops at 253 line breaks
     * in a cell), while a quote that swallows the rows below takes one line per row: a cap on lines
     * catches it long before it reaches any length limit.
     */
    private static final int DEFAULT_MAX_LINES_PER_CELL = 100;

    public InputOptions {
        requirePositive(maxFileBytes, "maxFileBytes");
        requirePositive(maxFieldChars, "maxFieldChars");
        requirePositive(maxColumns, "maxColumns");
        requirePositive(maxRecords, "maxRecords");
        requirePositive(maxNotesChars, "maxNotesChars");
        requirePositive(maxLinesPerCell, "maxLinesPerCell");
    }

    /**
     * The same limit for every cell, notes included, and the default number of lines per cell.
     */
    public InputOptions(Charset encoding, long maxFileBytes, int maxFieldChars, int maxColumns, long maxRecords) {
        this(encoding, maxFileBytes, maxFieldChars, maxColumns, maxRecords, maxFieldChars, DEFAULT_MAX_LINES_PER_CELL);
    }

    /**
     * Detected encoding, 1 GiB, 10,000 characters per cell but 200,000 in the notes cell, 200
     * columns, 2,000,000 records, 100 lines per cell.
     */
    public static InputOptions defaults() {
        return new InputOptions(null, ONE_GIB, 10_000, 200, 2_000_000, DEFAULT_MAX_NOTES_CHARS,
                DEFAULT_MAX_LINES_PER_CELL);
    }

    /**
     * These options with the given encoding ({@code null} to detect it).
     */
    public InputOptions withEncoding(Charset encoding) {
        return new InputOptions(encoding, maxFileBytes, maxFieldChars, maxColumns, maxRecords, maxNotesChars,
                maxLinesPerCell);
    }

    /** The longest cell accepted in a column. */
    int maxChars(Column column) {
        return column == Column.NOTES ? maxNotesChars : maxFieldChars;
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

}
