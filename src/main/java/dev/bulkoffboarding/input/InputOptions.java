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
 * @param maxFieldChars the longest cell accepted, in characters
 * @param maxColumns the most columns accepted, in the header and in every record
 * @param maxRecords the most records (non-blank rows after the header) accepted
 */
public record InputOptions(Charset encoding, long maxFileBytes, int maxFieldChars, int maxColumns,
        long maxRecords) {

    private static final long ONE_GIB = 1L << 30;

    public InputOptions {
        requirePositive(maxFileBytes, "maxFileBytes");
        requirePositive(maxFieldChars, "maxFieldChars");
        requirePositive(maxColumns, "maxColumns");
        requirePositive(maxRecords, "maxRecords");
    }

    /**
     * Detected encoding, 1 GiB, 10,000 characters per cell, 200 columns, 2,000,000 records.
     */
    public static InputOptions defaults() {
        return new InputOptions(null, ONE_GIB, 10_000, 200, 2_000_000);
    }

    /**
     * These options with the given encoding ({@code null} to detect it).
     */
    public InputOptions withEncoding(Charset encoding) {
        return new InputOptions(encoding, maxFileBytes, maxFieldChars, maxColumns, maxRecords);
    }

    private static void requirePositive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

}
