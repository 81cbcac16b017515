package dev.bulkoffboarding.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks a create-device-action body the way a careful vendor would: documented fields only,
 * with the documented types and nesting. Strictness is the point: a misspelt or mistyped field
 * must fail here rather than be ignored, so a client bug cannot pass against the sandbox.
 *
 * <p>All problems are reported at once, each with the path of the field it concerns. A JSON
 * {@code null} for an optional field counts as absent.
 */
final class DeviceActionRequestValidator {

    static final Set<String> TOP_LEVEL_FIELDS = Set.of("action_type", "serial_number", "current_user",
            "new_recipient", "wipe", "notes", "notification_emails");

    static final List<String> PERSON_FIELDS = List.of("name", "email", "country", "address", "phone");

    /** The action types the vendor documents as needing a new recipient, compared ignoring case. */
    private static final Set<String> RECIPIENT_ACTIONS = Set.of("assign", "reassign");

    /** Deliberately loose: something@something, no spaces; the vendor's exact rule is unknown. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    List<FieldError> validate(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return errors;
        }
        for (String name : body.propertyNames()) {
            if (!TOP_LEVEL_FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a recognised field"));
            }
        }
        String actionType = requiredString(body, "action_type", "action_type", errors);
        requiredString(body, "serial_number", "serial_number", errors);
        validatePerson(body.get("current_user"), "current_user", "is required", errors);
        boolean recipientRequired = actionType != null
                && RECIPIENT_ACTIONS.contains(actionType.trim().toLowerCase(Locale.ROOT));
        JsonNode recipient = body.get("new_recipient");
        if (recipientRequired || isPresent(recipient)) {
            validatePerson(recipient, "new_recipient", "is required for Assign and Reassign", errors);
        }
        JsonNode wipe = body.get("wipe");
        if (isPresent(wipe) && !wipe.isBoolean()) {
            errors.add(new FieldError("wipe", "must be a boolean"));
        }
        JsonNode notes = body.get("notes");
        if (isPresent(notes) && !notes.isString()) {
            errors.add(new FieldError("notes", "must be a string"));
        }
        validateEmailList(body.get("notification_emails"), errors);
        return errors;
    }

    private static void validatePerson(JsonNode person, String path, String missingMessage, List<FieldError> errors) {
        if (!isPresent(person)) {
            errors.add(new FieldError(path, missingMessage));
            return;
        }
        if (!person.isObject()) {
            errors.add(new FieldError(path, "must be an object"));
            return;
        }
        for (String name : person.propertyNames()) {
            if (!PERSON_FIELDS.contains(name)) {
                errors.add(new FieldError(path + "." + name, "is not a recognised field"));
            }
        }
        requiredString(person, "name", path + ".name", errors);
        String email = requiredString(person, "email", path + ".email", errors);
        if (email != null && !EMAIL.matcher(email.trim()).matches()) {
            errors.add(new FieldError(path + ".email", "must be an email address"));
        }
        for (String optional : List.of("country", "address", "phone")) {
            JsonNode value = person.get(optional);
            if (isPresent(value) && !value.isString()) {
                errors.add(new FieldError(path + "." + optional, "must be a string"));
            }
        }
    }

    private static void validateEmailList(JsonNode emails, List<FieldError> errors) {
        if (!isPresent(emails)) {
            return;
        }
        if (!emails.isArray()) {
            errors.add(new FieldError("notification_emails", "must be an array of strings"));
            return;
        }
        for (int i = 0; i < emails.size(); i++) {
            JsonNode email = emails.get(i);
            String path = "notification_emails[" + i + "]";
            if (!email.isString()) {
                errors.add(new FieldError(path, "must be a string"));
            }
            else if (!EMAIL.matcher(email.stringValue().trim()).matches()) {
                errors.add(new FieldError(path, "must be an email address"));
            }
        }
    }

    /** Returns the value when it is a non-blank string, else records why not and returns null. */
    private static String requiredString(JsonNode parent, String name, String path, List<FieldError> errors) {
        JsonNode value = parent.get(name);
        if (!isPresent(value)) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(path, "must be a string"));
            return null;
        }
        if (value.stringValue().isBlank()) {
            errors.add(new FieldError(path, "must not be blank"));
            return null;
        }
        return value.stringValue();
    }

    private static boolean isPresent(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /**
     * One problem with one field of a request, as listed in {@code error.details.errors}.
     *
     * @param field the field's path, such as {@code current_user.email}
     * @param message what is wrong with it, such as {@code is required}
     */
    record FieldError(String field, String message) {
    }

}
