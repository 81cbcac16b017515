package dev.bulkoffboarding.input;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Guesses the delimiter from the header line: the most frequent of {@code , ; TAB |} outside
 * quotes, ties going to that order, and {@code ,} when there is none (a one-column file).
 * Spreadsheets in many European locales save CSV with {@code ;}, and "Unicode text" exports use
 * TAB, so the file's own header is a better guide than any default.
 */
final class DelimiterSniffer {

    static final char[] CANDIDATES = { ',', ';', '\t', '|' };

    private DelimiterSniffer() {
    }

    /**
     * Reads the first line with content (blank lines before it are skipped, like the parser
     * does), looking at no more than {@code maxChars} characters.
     */
    static char sniff(Reader reader, long maxChars) throws IOException {
        int[] counts = new int[CANDIDATES.length];
        char[] buffer = new char[8192];
        boolean inQuotes = false;
        boolean fieldStart = true;
        boolean justClosedQuote = false;
        boolean lineHasContent = false;
        long seen = 0;
        int read;
        while (seen < maxChars && (read = reader.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                char c = buffer[i];
                boolean closingQuote = false;
                if (inQuotes) {
                    if (c == '"') {
                        inQuotes = false;
                        closingQuote = true;
                    }
                    else if (!Whitespace.isSpace(c)) {
                        lineHasContent = true;
                    }
                }
                else if (c == '"' && (fieldStart || justClosedQuote)) {
                    // After a closing quote, another quote is the second half of an escaped "".
                    inQuotes = true;
                    fieldStart = false;
                }
                else if (c == '\r' || c == '\n') {
                    if (lineHasContent) {
                        return mostFrequent(counts);
                    }
                    Arrays.fill(counts, 0);
                    fieldStart = true;
                }
                else {
                    int candidate = indexOf(c);
                    if (candidate >= 0) {
                        counts[candidate]++;
                        fieldStart = true;
                    }
                    else {
                        lineHasContent |= !Whitespace.isSpace(c);
                        fieldStart = false;
                    }
                }
                justClosedQuote = closingQuote;
            }
            seen += read;
        }
        return mostFrequent(counts);
    }

    private static int indexOf(char c) {
        for (int i = 0; i < CANDIDATES.length; i++) {
            if (CANDIDATES[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static char mostFrequent(int[] counts) {
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return CANDIDATES[best];
    }

}
