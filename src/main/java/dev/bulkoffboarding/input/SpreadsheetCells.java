package dev.bulkoffboarding.input;

/**
 * Spreadsheet formula-injection safety, shared by every CSV the project writes and by the reader.
 * <p>
 * A spreadsheet treats a cell starting with {@code = + - @}, TAB, CR or NUL as a formula (or
 * strips the control character and then does), so a serial number like {@code =HYPERLINK(...)}
 * in a report could run when someone opens it. {@link #neutralise(String)} prefixes such a cell
 * with an apostrophe, which spreadsheets read as "this is text" and do not display.
 * <p>
 * {@link #restore(String)} undoes it, so a {@code failures.csv} written by us and fed back as
 * input yields the original values. To keep the two exact inverses
 * ({@code restore(neutralise(x)).equals(x)} for every {@code x}), a cell that already is
 * apostrophes followed by one of those characters also gets one more apostrophe.
 */
public final class SpreadsheetCells {

    private static final char APOSTROPHE = '\'';

    private SpreadsheetCells() {
    }

    /**
     * The cell made safe to open in a spreadsheet.
     *
     * @param cell a cell value; {@code null} is returned as is
     * @return the cell, with a leading apostrophe if a spreadsheet could read it as a formula
     */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        return isTrigger(cell.charAt(leadingApostrophes(cell))) ? APOSTROPHE + cell : cell;
    }

    /**
     * The inverse of {@link #neutralise(String)}: an apostrophe followed by {@code = + - @}, TAB,
     * CR or NUL (or by more apostrophes and then one of those) loses one apostrophe.
     *
     * @param cell a cell as read from a file; {@code null} is returned as is
     * @return the cell as it was before {@link #neutralise(String)}
     */
    public static String restore(String cell) {
        // Most cells do not start with an apostrophe: keep this path free of work and garbage.
        if (cell == null || cell.isEmpty() || cell.charAt(0) != APOSTROPHE) {
            return cell;
        }
        return isTrigger(cell.charAt(leadingApostrophes(cell))) ? cell.substring(1) : cell;
    }

    /** The index of the first character that is not an apostrophe, or the last index if all are. */
    private static int leadingApostrophes(String cell) {
        int i = 0;
        while (i < cell.length() - 1 && cell.charAt(i) == APOSTROPHE) {
            i++;
        }
        return i;
    }

    private static boolean isTrigger(char c) {
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\0';
    }

}
