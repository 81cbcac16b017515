package dev.bulkoffboarding.input;

import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * A structural problem with an input file: it cannot be read, is not a usable CSV, lacks a
 * required column or exceeds a limit. The whole file is refused (the process exits 2), because
 * the rows it would yield cannot be trusted.
 * <p>
 * The message is meant for the person who made the file:
 * {@code "<file name>: line <L>, column <C>: <what is wrong and what to do>"}, leaving out the
 * parts that are not known (0).
 */
public class InputFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final int column;
    private final String detail;

    /**
     * @param file the input file, or {@code null} if not known
     * @param line the 1-based physical line, or 0 when not known or about the whole file
     * @param column the 1-based column, or 0 when not known or about the whole line
     * @param detail what is wrong and what to do about it
     */
    public InputFileException(Path file, long line, int column, String detail) {
        this(file, line, column, detail, null);
    }

    /**
     * @param file the input file, or {@code null} if not known
     * @param line the 1-based physical line, or 0 when not known or about the whole file
     * @param column the 1-based column, or 0 when not known or about the whole line
     * @param detail what is wrong and what to do about it
     * @param cause the low-level failure, kept for logs
     */
    public InputFileException(Path file, long line, int column, String detail, Throwable cause) {
        super(message(file, line, column, detail), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The input file, or {@code null} if not known. */
    public Path file() {
        return file;
    }

    /** The 1-based physical line where the problem is (for a record: where it starts), or 0. */
    public long line() {
        return line;
    }

    /** The 1-based column, or 0. */
    public int column() {
        return column;
    }

    /** The message without the file name, line and column. */
    public String detail() {
        return detail;
    }

    private static String message(Path file, long line, int column, String detail) {
        StringJoiner location = new StringJoiner(", ");
        if (line > 0) {
            location.add("line " + line);
        }
        if (column > 0) {
            location.add("column " + column);
        }
        StringJoiner message = new StringJoiner(": ");
        if (file != null) {
            message.add(String.valueOf(file.getFileName() != null ? file.getFileName() : file));
        }
        if (location.length() > 0) {
            message.add(location.toString());
        }
        return message.add(detail).toString();
    }

}
