package dev.bulkoffboarding.rows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks one row against {@link RowRules} and turns it into an {@link OffboardingRequest}. Every
 * problem is listed, in the order of the columns, so a person can fix the row in one go.
 * <p>
 * Free text is taken as spreadsheets write it: an address or a note may hold line breaks (CR, LF or
 * CRLF, as Alt+Enter in Excel or Ctrl+Enter in LibreOffice and Google Sheets type them) and tabs,
 * sent to the vendor unchanged. Names, countries and phone numbers are one line. Any other control
 * character (NUL, BEL, ESC, ...) makes the row invalid, naming the column. The length of notes is
 * bounded by the input's limit alone ({@code offboarding.input.max-notes-length}).
 */
public final class RowValidator {

    static final int MAX_SERIAL = 100;
    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_COUNTRY = 100;
    static final int MAX_ADDRESS = 500;
    static final int MAX_PHONE = 50;
    static final int MAX_NOTIFICATION_EMAILS = 20;

    /** How much of a value a message quotes: a problem must fit the ledger's error_message column. */
    static final int MAX_QUOTED = 60;

    /** Invalid notification addresses named one by one; the rest are counted. */
    private static final int MAX_NAMED_EMAIL_PROBLEMS = 3;

    // Deliberately plain: one @, no spaces, a dot in the domain, no leading/trailing dots in it.
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

    // What a spreadsheet makes of a long numeric serial: 1.23E+10, 4,56E+11.
    private static final Pattern SCIENTIFIC = Pattern.compile("^[0-9]+([.,][0-9]+)?[Ee][+-]?[0-9]+$");

    private static final Pattern SERIAL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._/:#-]*$");

    private static final Pattern EMAIL_SEPARATORS = Pattern.compile("[;,\\s]+");

    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1");

    private static final Set<String> FALSE = Set.of("false", "no", "n", "0");

    private final Map<String, String> actionTypes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private final Set<String> recipientTypes;

    private final Set<String> wipeTypes;

    private final String actionTypeList;

    private final String wipeTypeList;

    public RowValidator(RowRules rules) {
        rules.actionTypes().forEach((type) -> this.actionTypes.put(type.trim(), type.trim()));
        this.recipientTypes = lowerCase(rules.recipientActionTypes());
        this.wipeTypes = lowerCase(rules.wipeActionTypes());
        this.actionTypeList = String.join(", ", rules.actionTypes());
        this.wipeTypeList = String.join(" and ", rules.wipeActionTypes());
    }

    private static Set<String> lowerCase(List<String> values) {
        return values.stream().map((value) -> value.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** The normalised form two serial numbers are compared by. */
    public static String serialKey(String serialNumber) {
        return (serialNumber == null || serialNumber.isBlank()) ? null
                : serialNumber.trim().toUpperCase(Locale.ROOT);
    }

    public ValidationResult validate(RawRow row) {
        List<String> problems = new ArrayList<>();

        String serial = row.serialNumber();
        if (serial.isEmpty()) {
            problems.add("serial_number is required");
        }
        else if (SCIENTIFIC.matcher(serial).matches()) {
            problems.add("serial_number " + quoted(serial) + " looks like a number mangled by a spreadsheet: "
                    + "format the column as text and export again");
        }
        else if (serial.length() > MAX_SERIAL) {
            problems.add("serial_number is longer than " + MAX_SERIAL + " characters");
        }
        else if (!SERIAL.matcher(serial).matches()) {
            problems.add("serial_number " + quoted(serial) + " has characters a serial number cannot have");
        }

        String actionType = null;
        if (row.actionType().isEmpty()) {
            problems.add("action_type is required");
        }
        else {
            actionType = this.actionTypes.get(row.actionType());
            if (actionType == null) {
                problems.add("action_type " + quoted(row.actionType()) + " is not one of " + this.actionTypeList);
            }
        }
        boolean needsRecipient = actionType != null && this.recipientTypes.contains(actionType.toLowerCase(Locale.ROOT));

        Person currentUser = person("current_user", row.currentUserName(), row.currentUserEmail(),
                row.currentUserCountry(), row.currentUserAddress(), row.currentUserPhone(), true, problems);

        Person newRecipient = null;
        boolean recipientGiven = !row.newRecipientName().isEmpty() || !row.newRecipientEmail().isEmpty();
        if (needsRecipient) {
            newRecipient = person("new_recipient", row.newRecipientName(), row.newRecipientEmail(), "", "", "", true,
                    problems);
        }
        else if (recipientGiven && actionType != null) {
            // A recipient on a Store or Retrieval row usually means the wrong action was chosen.
            problems.add("new_recipient is given, but " + actionType + " does not take one: clear it or use "
                    + String.join("/", recipientTypeNames()));
        }

        Boolean wipe = null;
        String wipeText = row.wipe().toLowerCase(Locale.ROOT);
        if (TRUE.contains(wipeText)) {
            wipe = Boolean.TRUE;
        }
        else if (FALSE.contains(wipeText)) {
            wipe = Boolean.FALSE;
        }
        else if (!wipeText.isEmpty()) {
            problems.add("wipe " + quoted(row.wipe()) + " is not true/false/yes/no/1/0/y/n");
        }
        if (Boolean.TRUE.equals(wipe) && actionType != null
                && !this.wipeTypes.contains(actionType.toLowerCase(Locale.ROOT))) {
            problems.add("wipe=true is only accepted for " + this.wipeTypeList + ", not for " + actionType
                    + " (a wipe cannot be undone: we never guess)");
        }

        String notes = optional("notes", row.notes(), Integer.MAX_VALUE, true, problems);
        List<String> notify = notificationEmails(row.notificationEmails(), problems);

        String serialKey = serialKey(serial);
        if (!problems.isEmpty()) {
            return new ValidationResult(row.line(), serial, serialKey, actionType, null, List.copyOf(problems));
        }
        var request = new OffboardingRequest(serial, actionType, currentUser, newRecipient, wipe, notes, notify);
        return new ValidationResult(row.line(), serial, serialKey, actionType, request, List.of());
    }

    private List<String> recipientTypeNames() {
        return this.actionTypes.values().stream()
            .filter((type) -> this.recipientTypes.contains(type.toLowerCase(Locale.ROOT)))
            .toList();
    }

    private static Person person(String prefix, String name, String email, String country, String address,
            String phone, boolean required, List<String> problems) {
        if (name.isEmpty() && required) {
            problems.add(prefix + "_name is required");
        }
        else if (name.length() > MAX_NAME) {
            problems.add(prefix + "_name is longer than " + MAX_NAME + " characters");
        }
        else if (controlCharacter(name, false) >= 0) {
            problems.add(controlCharacterProblem(prefix + "_name", name, false));
        }
        else if (directionControl(name) >= 0) {
            problems.add(directionControlProblem(prefix + "_name", name));
        }
        if (email.isEmpty() && required) {
            problems.add(prefix + "_email is required");
        }
        else if (!isEmail(email)) {
            problems.add(prefix + "_email " + quoted(email) + " is not a valid e-mail address");
        }
        String validCountry = optional(prefix + "_country", country, MAX_COUNTRY, false, problems);
        // An address is typed on several lines (street, town, postcode), and the courier needs them all.
        String validAddress = optional(prefix + "_address", address, MAX_ADDRESS, true, problems);
        String validPhone = optional(prefix + "_phone", phone, MAX_PHONE, false, problems);
        return new Person(name, email, validCountry, validAddress, validPhone);
    }

    private static String optional(String field, String value, int maxLength, boolean multiLine,
            List<String> problems) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            problems.add(field + " is longer than " + maxLength + " characters");
        }
        else if (controlCharacter(value, multiLine) >= 0) {
            problems.add(controlCharacterProblem(field, value, multiLine));
        }
        else if (directionControl(value) >= 0) {
            problems.add(directionControlProblem(field, value));
        }
        return value;
    }

    private static List<String> notificationEmails(String value, List<String> problems) {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> emails = Arrays.stream(EMAIL_SEPARATORS.split(value))
            .filter((email) -> !email.isEmpty())
            .distinct()
            .toList();
        // A line break between addresses separates them like a comma: it is never sent.
        long invalid = emails.stream().filter((email) -> !isEmail(email)).count();
        emails.stream()
            .filter((email) -> !isEmail(email))
            .limit(MAX_NAMED_EMAIL_PROBLEMS)
            .forEach((email) -> problems.add("notification_emails: " + quoted(email) + " is not a valid e-mail address"));
        if (invalid > MAX_NAMED_EMAIL_PROBLEMS) {
            problems.add("notification_emails: " + (invalid - MAX_NAMED_EMAIL_PROBLEMS)
                    + " more addresses are not valid e-mail addresses");
        }
        if (emails.size() > MAX_NOTIFICATION_EMAILS) {
            problems.add("notification_emails has more than " + MAX_NOTIFICATION_EMAILS + " addresses");
        }
        return emails;
    }

    static boolean isEmail(String value) {
        return value.length() <= MAX_EMAIL && EMAIL.matcher(value).matches() && !value.contains("..");
    }

    /**
     * The first bidirectional embedding, override or isolate character (U+202A..U+202E,
     * U+2066..U+2069), or -1. Right-to-left names need none of them (the letters carry their own
     * direction), but they make a value display as something else ("Trojan Source"), in a report,
     * the review UI or the vendor's portal. Marks (U+200E/U+200F) and joiners stay allowed.
     */
    static int directionControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return c;
            }
        }
        return -1;
    }

    private static String directionControlProblem(String field, String value) {
        return field + " contains an invisible text-direction control (U+" + String.format(Locale.ROOT, "%04X",
                directionControl(value)) + "), which makes it display as something it is not: remove it";
    }

    /**
     * The first control character a field may not hold, or -1. A multi-line field may hold line
     * breaks and tabs (what a spreadsheet cell holds when text is typed or pasted into it).
     */
    static int controlCharacter(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
                return c;
            }
        }
        return -1;
    }

    private static String controlCharacterProblem(String field, String value, boolean multiLine) {
        int c = controlCharacter(value, multiLine);
        if (c == '\n' || c == '\r') {
            return field + " is on more than one line: remove the line break";
        }
        if (c == 0) {
            return field + " contains a NUL character";
        }
        return field + " contains a control character (U+" + String.format(Locale.ROOT, "%04X", c) + ")"
                + (multiLine ? ": only line breaks and tabs may be in it" : "");
    }

    /** The value in quotes, cut short when long: a message quotes enough to find the cell. */
    static String quoted(String value) {
        if (value.length() <= MAX_QUOTED) {
            return "'" + value + "'";
        }
        int end = value.offsetByCodePoints(0, value.codePointCount(0, MAX_QUOTED - 1));
        return "'" + value.substring(0, end) + "…' (" + value.length() + " characters)";
    }

}
