package dev.bulkoffboarding.input;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CSV record, as read: no value is validated here (that is the {@code rows} feature's job).
 * <p>
 * To keep a million-row file cheap to stream, the record does not copy what it is given; it
 * wraps the map and the list in unmodifiable views, and {@link CsvInput} never touches them again.
 *
 * @param line the physical line (1-based) where the record starts in the file, counting the
 * header, blank lines and the line breaks inside quoted fields of earlier records
 * @param values the trimmed value of every column the header has ("" when a row is short)
 * @param cells the cells as read, untrimmed, after {@link SpreadsheetCells#restore(String)}
 */
public record CsvRecord(long line, Map<Column, String> values, List<String> cells) {

    public CsvRecord {
        values = Collections.unmodifiableMap(Objects.requireNonNull(values, "values"));
        cells = Collections.unmodifiableList(Objects.requireNonNull(cells, "cells"));
    }

    /**
     * The trimmed value of a column.
     *
     * @return the value, or "" when the column is absent or empty
     */
    public String get(Column column) {
        String value = values.get(column);
        return value == null ? "" : Whitespace.trim(value);
    }

}
