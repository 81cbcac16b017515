package dev.bulkoffboarding.input;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical columns of an offboarding spreadsheet, in template order (the template stops at
 * {@link #NOTIFICATION_EMAILS}).
 * <p>
 * People type headers in many ways, so {@link #forHeader(String)} matches a header after
 * normalising it (lower case, letters and digits only, text in parentheses or brackets dropped)
 * against the canonical name and a list of aliases. Every alias belongs to exactly one column:
 * a header is either recognised without doubt or ignored, never guessed.
 */
public enum Column {

    SERIAL_NUMBER(true, "serial", "serialno", "serialnum", "serialnbr", "sn", "sno", "deviceserial",
            "deviceserialnumber", "deviceserialno", "devicesn"),
    ACTION_TYPE(true, "action", "typeofaction", "actionrequested", "requestedaction", "deviceaction",
            "actiontodo"),
    CURRENT_USER_NAME(true, "currentuser", "currentuserfullname", "name", "fullname", "employee",
            "employeename", "employeefullname", "holder", "holdername", "currentholder",
            "currentholdername", "user", "leaver", "leavername", "owner", "ownername", "assignee",
            "assigneename"),
    CURRENT_USER_EMAIL(true, "email", "emailaddress", "mail", "currentuseremailaddress", "employeeemail",
            "employeeemailaddress", "holderemail", "currentholderemail", "useremail", "workemail",
            "leaveremail", "owneremail", "assigneeemail"),
    CURRENT_USER_COUNTRY(false, "country", "employeecountry", "holdercountry", "usercountry",
            "countryname"),
    CURRENT_USER_ADDRESS(false, "address", "employeeaddress", "holderaddress", "useraddress",
            "homeaddress", "streetaddress", "postaladdress", "pickupaddress"),
    CURRENT_USER_PHONE(false, "phone", "phonenumber", "phoneno", "currentuserphonenumber", "mobile",
            "mobilenumber", "mobilephone", "cell", "cellphone", "telephone", "tel", "employeephone",
            "employeemobile", "holderphone", "userphone"),
    NEW_RECIPIENT_NAME(false, "newrecipient", "recipient", "recipientname", "newuser", "newusername",
            "newholder", "newholdername", "newowner", "newownername", "newemployee", "newemployeename"),
    NEW_RECIPIENT_EMAIL(false, "recipientemail", "newrecipientemailaddress", "recipientemailaddress",
            "newuseremail", "newholderemail", "newowneremail", "newemployeeemail"),
    WIPE(false, "wipedevice", "wipedata", "datawipe", "wiperequired"),
    NOTES(false, "note", "comment", "comments", "remark", "remarks"),
    NOTIFICATION_EMAILS(false, "notificationemail", "notifications", "notify", "notifyemail",
            "notifyemails", "cc", "ccemail", "ccemails", "alsonotify"),
    // A device the vendor's inventory does not know is sent as an external device, described by
    // these three (quipteams-api.md §8); they are not in the template: most files never need them.
    DEVICE_MODEL(false, "model", "description", "devicemodel", "modelname", "devicedescription",
            "modeldescription", "laptopmodel", "devicename"),
    DEVICE_TYPE(false, "type", "devicetype", "typeofdevice", "category", "devicecategory", "assettype",
            "equipmenttype"),
    DEVICE_COUNTRY(false, "countryofdevice", "devicecountry", "devicelocation", "locationofdevice",
            "devicecountryname", "countryofthedevice");

    private static final Map<String, Column> BY_NORMALISED_HEADER = index();

    private final String header;
    private final boolean required;
    private final List<String> aliases;

    Column(boolean required, String... aliases) {
        this.header = name().toLowerCase(Locale.ROOT);
        this.required = required;
        this.aliases = List.of(aliases);
    }

    /**
     * The canonical snake_case header, as the template writes it, e.g. {@code serial_number}.
     */
    public String header() {
        return header;
    }

    /**
     * Whether a file without this column is rejected before any row is read.
     */
    public boolean required() {
        return required;
    }

    /**
     * The column a header means, ignoring case, spaces, punctuation and anything in parentheses or
     * brackets ({@code "Serial No."}, {@code "S/N"}, {@code "Wipe (yes/no)"},
     * {@code "new_recipient.email"}).
     *
     * @param header a header cell as written; {@code null} means no column
     * @return the column, or empty when the header is not recognised
     */
    public static Optional<Column> forHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_NORMALISED_HEADER.get(normalise(header)));
    }

    /**
     * Lower case, letters and digits only. Parenthesised or bracketed text is dropped first
     * ("Wipe (yes/no)", "Serial [required]"), unless that would leave nothing.
     */
    static String normalise(String header) {
        String withoutRemarks = lettersAndDigits(header, true);
        return withoutRemarks.isEmpty() ? lettersAndDigits(header, false) : withoutRemarks;
    }

    private static String lettersAndDigits(String text, boolean skipBracketed) {
        StringBuilder out = new StringBuilder(text.length());
        int depth = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (skipBracketed && (codePoint == '(' || codePoint == '[')) {
                depth++;
            }
            else if (skipBracketed && depth > 0 && (codePoint == ')' || codePoint == ']')) {
                depth--;
            }
            else if (depth == 0 && Character.isLetterOrDigit(codePoint)) {
                out.appendCodePoint(Character.toLowerCase(codePoint));
            }
        }
        return out.toString();
    }

    private static Map<String, Column> index() {
        Map<String, Column> index = new HashMap<>();
        for (Column column : values()) {
            register(index, normalise(column.header), column);
            for (String alias : column.aliases) {
                register(index, alias, column);
            }
        }
        return Map.copyOf(index);
    }

    private static void register(Map<String, Column> index, String key, Column column) {
        Column previous = index.put(key, column);
        // An alias meaning two columns would make matching depend on declaration order.
        if (previous != null && previous != column) {
            throw new IllegalStateException("header alias '" + key + "' means both " + previous + " and " + column);
        }
    }

}
