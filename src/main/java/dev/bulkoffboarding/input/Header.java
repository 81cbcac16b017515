package dev.bulkoffboarding.input;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A file's header line, mapped to {@link Column}s.
 *
 * @param line the physical line of the header
 * @param cells the header cells as written
 * @param columns the 0-based cell index of every recognised column
 * @param ignored the non-blank headers that mean no column
 */
record Header(long line, List<String> cells, Map<Column, Integer> columns, List<String> ignored) {

    /**
     * Maps header cells to columns.
     *
     * @throws InputFileException if two headers mean the same column or a required one is missing:
     * guessing which of two "Email" columns is meant, or reading rows without a serial number,
     * would only turn one clear error into thousands of confusing ones
     */
    static Header map(Path file, long line, List<String> cells, char delimiter) {
        EnumMap<Column, Integer> mapped = new EnumMap<>(Column.class);
        List<String> ignored = new ArrayList<>();
        for (int index = 0; index < cells.size(); index++) {
            String header = cells.get(index);
            Optional<Column> column = Column.forHeader(header);
            if (column.isPresent()) {
                Integer earlier = mapped.putIfAbsent(column.get(), index);
                if (earlier != null) {
                    throw new InputFileException(file, line, index + 1, "headers \"" + cells.get(earlier) + "\" (column "
                            + (earlier + 1) + ") and \"" + header + "\" (column " + (index + 1) + ") both mean "
                            + column.get().header() + ": keep only one of them");
                }
            }
            else if (!Whitespace.isBlank(header)) {
                ignored.add(header);
            }
        }
        List<String> missing = Arrays.stream(Column.values())
            .filter(column -> column.required() && !mapped.containsKey(column))
            .map(Column::header)
            .toList();
        if (!missing.isEmpty()) {
            List<String> required = Arrays.stream(Column.values()).filter(Column::required).map(Column::header).toList();
            throw new InputFileException(file, line, 0, "missing required column(s) " + String.join(", ", missing)
                    + "; the header has " + quoted(cells) + " (delimiter " + describe(delimiter) + "); every file needs "
                    + String.join(", ", required) + " (common names such as \"Serial\" or \"Email\" work too)");
        }
        return new Header(line, List.copyOf(cells), Collections.unmodifiableMap(mapped), List.copyOf(ignored));
    }

    /** One warning naming every ignored column, if there is any. */
    Optional<String> warning() {
        if (ignored.isEmpty()) {
            return Optional.empty();
        }
        StringJoiner described = new StringJoiner(", ");
        for (int index = 0; index < cells.size(); index++) {
            if (ignored.contains(cells.get(index))) {
                described.add("\"" + cells.get(index) + "\" (column " + (index + 1) + ")");
            }
        }
        return Optional.of("ignored " + ignored.size() + " unknown column(s): " + described);
    }

    private static String quoted(List<String> cells) {
        StringJoiner joined = new StringJoiner(", ");
        for (String cell : cells) {
            joined.add("\"" + cell + "\"");
        }
        return joined.toString();
    }

    private static String describe(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "TAB";
            case ',' -> "comma";
            case ';' -> "semicolon";
            case '|' -> "pipe";
            default -> "'" + delimiter + "'";
        };
    }

}
