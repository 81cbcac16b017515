package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.Reader;

/**
 * Caps how many characters the CSV parser may pull for one record.
 * <p>
 * Commons CSV has no field-size limit: an unbalanced quote makes it buffer the rest of the file
 * into one field. This reader fails as soon as a record has consumed more than its budget, so
 * memory stays bounded whatever the file holds. The count includes the parser's read-ahead,
 * so the budget must exceed the longest legal record by at least one parser buffer.
 */
final class BoundedReader extends Reader {

    private final Reader in;
    private long budget;
    private long consumed;

    BoundedReader(Reader in, long budget) {
        this.in = in;
        this.budget = budget;
    }

    /** Called after each record: the next one gets a full budget. */
    void startRecord() {
        consumed = 0;
    }

    void budget(long budget) {
        this.budget = budget;
    }

    long budget() {
        return budget;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read > 0) {
            consumed += read;
            if (consumed > budget) {
                throw new RecordTooLongException(budget);
            }
        }
        return read;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Thrown through the parser, which only lets {@link IOException}s out. */
    static final class RecordTooLongException extends IOException {

        private static final long serialVersionUID = 1L;

        RecordTooLongException(long budget) {
            super("one record is longer than " + budget + " characters");
        }

    }

}
