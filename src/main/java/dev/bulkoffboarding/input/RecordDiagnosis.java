package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.Reader;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * Finds the column at fault in a record the parser gave up on.
 * <p>
 * Commons CSV reports where it noticed a problem, not which field caused it, and our record budget
 * ({@link BoundedReader}) stops it mid-field. So on that (rare) error path the file is read once
 * more up to the broken record, which is then scanned with the parser's own quoting rules: a quote
 * opens a field only as its first character, {@code ""} inside quotes is one quote, and only
 * whitespace may follow a closing quote.
 */
final class RecordDiagnosis {

    /** What is wrong with a field. */
    enum Fault {
        /** A field is longer than the limit (often: a quote that never closes). */
        TOO_LONG,
        /** A quoted field spans more lines than the limit (a quote that swallowed the rows below). */
        TOO_MANY_LINES,
        /** The file ends inside a quoted field. */
        UNCLOSED_QUOTE,
        /** Something other than whitespace follows a closing quote. */
        TEXT_AFTER_QUOTE
    }

    /**
     * @param column 1-based column of the field at fault
     * @param fieldLine the physical line where that field starts
     */
    record Problem(Fault fault, int column, long fieldLine) {
    }

    private enum State { FIELD_START, PLAIN, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTE }

    private RecordDiagnosis() {
    }

    /**
     * Scans the record starting on {@code line}, reading at most {@code maxChars} characters of it.
     *
     * @param reader the file's text from its first character; not closed here
     * @param maxFieldChars the longest field accepted in a 1-based column
     * @param maxLinesPerField the most lines a field may span
     * @return the first fault found, or empty if the record looks well formed
     */
    static Optional<Problem> diagnose(Reader reader, long line, char delimiter, IntUnaryOperator maxFieldChars,
            int maxLinesPerField, long maxChars) throws IOException {
        LineTrackingReader in = new LineTrackingReader(reader);
        if (!in.skipTo(line)) {
            return Optional.empty();
        }
        State state = State.FIELD_START;
        int column = 1;
        long fieldLength = 0;
        long fieldLine = line;
        for (long seen = 0; seen < maxChars; seen++) {
            int c = in.read();
            if (c < 0) {
                return state == State.QUOTED ? problem(Fault.UNCLOSED_QUOTE, column, fieldLine) : Optional.empty();
            }
            boolean endOfLine = c == '\r' || c == '\n';
            switch (state) {
                case FIELD_START, PLAIN -> {
                    if (c == delimiter) {
                        column++;
                        state = State.FIELD_START;
                    }
                    else if (endOfLine) {
                        return Optional.empty();
                    }
                    else if (c == '"' && state == State.FIELD_START) {
                        state = State.QUOTED;
                        fieldLength = 0;
                        fieldLine = in.line();
                    }
                    else {
                        if (state == State.FIELD_START) {
                            fieldLength = 0;
                            fieldLine = in.line();
                        }
                        state = State.PLAIN;
                        fieldLength++;
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
                    }
                    else {
                        fieldLength++;
                    }
                    if (endOfLine && in.line() - fieldLine + 1 > maxLinesPerField) {
                        return problem(Fault.TOO_MANY_LINES, column, fieldLine);
                    }
                }
                case QUOTE_IN_QUOTED, AFTER_QUOTE -> {
                    if (c == '"' && state == State.QUOTE_IN_QUOTED) {
                        state = State.QUOTED;
                        fieldLength++;
                    }
                    else if (c == delimiter) {
                        column++;
                        state = State.FIELD_START;
                    }
                    else if (endOfLine) {
                        return Optional.empty();
                    }
                    else if (Character.isWhitespace((char) c)) {
                        state = State.AFTER_QUOTE;
                    }
                    else {
                        return problem(Fault.TEXT_AFTER_QUOTE, column, fieldLine);
                    }
                }
            }
            if (fieldLength > maxFieldChars.applyAsInt(column)) {
                return problem(Fault.TOO_LONG, column, fieldLine);
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(Fault fault, int column, long fieldLine) {
        return Optional.of(new Problem(fault, column, fieldLine));
    }

    /** Single characters with the physical line of the last one read (CR, LF, CRLF end a line). */
    private static final class LineTrackingReader {

        private final Reader in;
        private final char[] buffer = new char[8192];
        private int position;
        private int limit;
        private long line = 1;
        private boolean afterCr;

        LineTrackingReader(Reader in) {
            this.in = in;
        }

        /** The line the next character is on. */
        long line() {
            return line;
        }

        /**
         * Moves to the first character of a line.
         *
         * @return false if the text has fewer lines
         */
        boolean skipTo(long target) throws IOException {
            while (line < target) {
                if (read() < 0) {
                    return false;
                }
            }
            // A CRLF is one line break: its LF still belongs to the line before.
            if (afterCr && fill() && buffer[position] == '\n') {
                read();
            }
            return true;
        }

        int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            char c = buffer[position++];
            if (c == '\n' && afterCr) {
                // The line was counted at the CR; only the next character is on a new line.
                afterCr = false;
                return c;
            }
            afterCr = c == '\r';
            if (c == '\r' || c == '\n') {
                line++;
            }
            return c;
        }

        private boolean fill() throws IOException {
            if (position == limit) {
                limit = Math.max(in.read(buffer), 0);
                position = 0;
            }
            return position < limit;
        }

    }

}
