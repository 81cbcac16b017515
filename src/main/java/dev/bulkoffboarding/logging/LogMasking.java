package dev.bulkoffboarding.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must not reach a log: API keys and bearer tokens always, e-mail addresses and phone
 * numbers unless personal-data masking is switched off for debugging.
 * <p>
 * The rules are deliberately about shapes, not about what our code logs, because the dangerous
 * lines come from libraries at DEBUG (request bodies, decoded responses, bound properties):
 * <ul>
 * <li>API keys {@code qk_live_…}/{@code qk_test_…} keep their documented prefix
 * ({@code qk_live_****}); {@code Bearer <token>} becomes {@code Bearer ****}; a webhook secret in
 * JSON, {@code "secret":"…"}, becomes {@code "secret":"****"};</li>
 * <li>e-mail addresses keep their first character and their domain: {@code j***@acme.com};</li>
 * <li>phone numbers become {@code ***-**42} (the last two digits kept). A phone number is a
 * {@code +} followed by 7 to 15 digits, or 7 to 15 digits in three or more groups split by spaces,
 * dashes, dots or parentheses, or a number of 9 to 15 digits starting with 0. ISO dates, times,
 * IP addresses, decimals and plain digit runs (counts, ids, epoch millis) are left alone, so a
 * phone number a spreadsheet turned into a plain number ({@code 447700900123}) is not masked.</li>
 * </ul>
 * Names and postal addresses cannot be recognised by shape and are not masked: the project's own
 * log lines never contain them, and library DEBUG logging of request bodies should stay off in
 * production.
 */
public final class LogMasking {

    private static final Pattern API_KEY = Pattern.compile("\\b(qk_(?:live|test)_)[A-Za-z0-9_]+");

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]+");

    /** A webhook's signing secret in the vendor's JSON ({@code "secret": "<hex>"}), as a client logs a body at DEBUG. */
    private static final Pattern JSON_SECRET = Pattern.compile("(\"secret\"\\s*:\\s*\")[^\"]*(\")");

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+-])([\\p{L}\\p{N}_%+-])[\\p{L}\\p{N}._%+-]*@([\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+)");

    /** A candidate only: {@link #isPhone(String)} decides. */
    private static final Pattern PHONE_CANDIDATE = Pattern.compile(
            "(?<![\\w.:/+-])(?:\\+|\\()?\\d[\\d ().-]*\\d(?![\\w:/-]|\\.\\d)");

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[.-]\\d{1,2}[.-]\\d{4}");

    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    private static final Pattern DECIMAL = Pattern.compile("\\d+[.,]\\d+");

    private LogMasking() {
    }

    /**
     * The text with secrets masked and, if {@code personalData}, e-mail addresses and phone numbers.
     *
     * @param text a formatted log line (or any text); {@code null} is returned as is
     * @param personalData whether to mask e-mail addresses and phone numbers too
     */
    public static String mask(String text, boolean personalData) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = secrets(text);
        return personalData ? personalData(masked) : masked;
    }

    /** API keys and bearer tokens masked. */
    public static String secrets(String text) {
        String masked = text;
        // The bearer rule first: it hides the whole token, prefix included.
        if (containsIgnoreCase(masked, "bearer")) {
            masked = BEARER.matcher(masked).replaceAll("$1****");
        }
        if (masked.contains("qk_")) {
            masked = API_KEY.matcher(masked).replaceAll("$1****");
        }
        if (masked.contains("\"secret\"")) {
            masked = JSON_SECRET.matcher(masked).replaceAll("$1****$2");
        }
        return masked;
    }

    /** E-mail addresses and phone numbers masked. */
    public static String personalData(String text) {
        String masked = text;
        if (masked.indexOf('@') >= 0) {
            masked = EMAIL.matcher(masked).replaceAll("$1***@$2");
        }
        Matcher candidates = PHONE_CANDIDATE.matcher(masked);
        StringBuilder out = null;
        int copied = 0;
        while (candidates.find()) {
            String candidate = candidates.group();
            if (isPhone(candidate)) {
                if (out == null) {
                    out = new StringBuilder(masked.length());
                }
                out.append(masked, copied, candidates.start()).append(maskedPhone(candidate));
                copied = candidates.end();
            }
        }
        if (out == null) {
            return masked;
        }
        return out.append(masked, copied, masked.length()).toString();
    }

    static boolean isPhone(String candidate) {
        int digits = 0;
        int groups = 0;
        boolean inGroup = false;
        for (int i = 0; i < candidate.length(); i++) {
            boolean digit = Character.isDigit(candidate.charAt(i));
            if (digit) {
                digits++;
                if (!inGroup) {
                    groups++;
                }
            }
            inGroup = digit;
        }
        if (digits < 7 || digits > 15) {
            return false;
        }
        if (candidate.startsWith("+")) {
            return true;
        }
        if (DATE.matcher(candidate).matches() || IP_ADDRESS.matcher(candidate).matches()
                || DECIMAL.matcher(candidate).matches()) {
            return false;
        }
        String number = candidate.startsWith("(") ? candidate.substring(1) : candidate;
        return groups >= 3 || (number.startsWith("0") && digits >= 9);
    }

    private static String maskedPhone(String phone) {
        return "***-**" + phone.substring(phone.length() - 2);
    }

    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

}
