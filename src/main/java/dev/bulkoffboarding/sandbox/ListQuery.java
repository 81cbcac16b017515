package dev.bulkoffboarding.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query string of a list endpoint, read the vendor's way: {@code limit} (1 to 100, default
 * 25), {@code sort}, ISO 8601 date filters and an opaque {@code cursor}. Each accessor reads one
 * parameter and collects what is wrong with it, so an endpoint reads the parameters it knows, then
 * answers every error at once:
 *
 * <pre>{@code
 * ListQuery query = ListQuery.parse(rawQuery);
 * int limit = query.limit();
 * Long cursor = query.cursor();
 * if (query.hasErrors()) {
 *     return query.invalid();
 * }
 * }</pre>
 *
 * <p>A cursor is the URL-safe Base64 of {@code seq:<n>}, the sequence number of the last item of
 * the page: stable however the list grows, and rejected when it is not one of ours.
 */
final class ListQuery {

    static final int DEFAULT_LIMIT = 25;

    static final int MAX_LIMIT = 100;

    private static final String CURSOR_PREFIX = "seq:";

    private final Map<String, String> params;

    private final List<FieldError> errors = new ArrayList<>();

    private ListQuery(Map<String, String> params) {
        this.params = params;
    }

    /**
     * Reads a raw (still percent-encoded) query string; a malformed one reads as no parameters
     * and one error on {@code query}.
     * @param rawQuery the query string, or null
     * @return the parameters; the first of repeated ones wins, empty ones count as absent
     */
    static ListQuery parse(String rawQuery) {
        try {
            return new ListQuery(decode(rawQuery));
        }
        catch (IllegalArgumentException ex) {
            ListQuery malformed = new ListQuery(Map.of());
            malformed.errors.add(new FieldError("query", "is malformed"));
            return malformed;
        }
    }

    /** @return the parameter as given, or null */
    String text(String name) {
        return params.get(name);
    }

    /** @return {@code limit}, {@value #DEFAULT_LIMIT} when absent */
    int limit() {
        String text = params.get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        }
        catch (NumberFormatException ex) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be an integer between 1 and " + MAX_LIMIT));
        }
        return limit;
    }

    /**
     * @return whether {@code sort} asks for the oldest first ({@code created_at}, {@code updated_at});
     *     newest first when absent
     */
    boolean ascending() {
        String sort = params.get("sort");
        if (sort == null) {
            return false;
        }
        return switch (sort.trim()) {
            case "created_at", "updated_at" -> true;
            case "-created_at", "-updated_at" -> false;
            default -> {
                errors.add(new FieldError("sort", "must be one of created_at, -created_at"));
                yield false;
            }
        };
    }

    /**
     * Reads an ISO 8601 instant with an offset, a local date-time (taken as UTC) or a date (its
     * midnight UTC).
     * @return the instant, or null when absent or wrong
     */
    Instant instant(String name) {
        String text = params.get(name);
        if (text == null) {
            return null;
        }
        String value = text.trim();
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
            catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                catch (DateTimeParseException notDate) {
                    errors.add(new FieldError(name, "must be an ISO 8601 date-time"));
                    return null;
                }
            }
        }
    }

    /** @return the sequence number the {@code cursor} points after, or null when absent or foreign */
    Long cursor() {
        String cursor = params.get("cursor");
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                long sequence = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (sequence > 0) {
                    return sequence;
                }
            }
        }
        catch (IllegalArgumentException ex) {
            // Not Base64 or not a number: reported below like any other foreign cursor.
        }
        errors.add(new FieldError("cursor", "is not a cursor returned by this API"));
        return null;
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** @return {@code 400 VALIDATION_ERROR} naming every wrong parameter read so far */
    Reply invalid() {
        return Reply.validationError("Invalid query parameters", errors);
    }

    /**
     * Adds the vendor's {@code meta} to a page: {@code has_more} and the {@code next_cursor} that
     * continues after the page's last item.
     * @param response the response object holding {@code data}
     * @param hasMore whether items follow this page
     * @param lastSequence the sequence number of the page's last item (ignored without more)
     */
    static void addMeta(ObjectNode response, boolean hasMore, long lastSequence) {
        ObjectNode meta = response.putObject("meta");
        meta.put("has_more", hasMore);
        if (hasMore) {
            meta.put("next_cursor", encodeCursor(lastSequence));
        }
        else {
            meta.putNull("next_cursor");
        }
    }

    static String encodeCursor(long sequence) {
        byte[] text = (CURSOR_PREFIX + sequence).getBytes(StandardCharsets.US_ASCII);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, StandardCharsets.UTF_8);
            String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8) : "";
            // An empty value filters nothing, as if the parameter were absent.
            if (!value.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

}
