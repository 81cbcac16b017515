package dev.bulkoffboarding.input;

/**
 * Trimming for spreadsheet values, which often carry a no-break space or a stray BOM pasted from
 * elsewhere: {@link String#strip()} keeps both.
 */
final class Whitespace {

    private Whitespace() {
    }

    /** The value without surrounding whitespace; the same instance when there is none. */
    static String trim(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    static boolean isBlank(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isSpace(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(char c) {
        if (c > ' ' && c <= '~') {
            // Printable ASCII, i.e. nearly every character: skip the Unicode lookups.
            return false;
        }
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\uFEFF';
    }

}
