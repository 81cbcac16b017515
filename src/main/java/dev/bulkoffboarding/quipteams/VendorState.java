package dev.bulkoffboarding.quipteams;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * What the vendor says about one device action now: the part of the device action object (§6 of
 * quipteams-api.md) that tracking keeps. The status is the vendor's own text: its names beyond
 * "In Progress" are undocumented, so nothing here interprets it.
 *
 * @param vendorId the action's UUID ({@code id})
 * @param actionId its human id ({@code action_id}), may be null
 * @param status {@code status}, may be null
 * @param statusTimestamps {@code status_timestamps}: status to when it was reached; empty when the
 * vendor did not send them (its list endpoint does not)
 * @param trackingCode {@code tracking_code}, null until shipped
 * @param trackingLink {@code tracking_link}, null until shipped
 * @param wipeCompleted {@code wipe_completed}, null when not sent or not a boolean
 * @param updatedAt {@code updated_at}, null when missing or unreadable
 */
public record VendorState(String vendorId, String actionId, String status, Map<String, Instant> statusTimestamps,
        String trackingCode, String trackingLink, Boolean wipeCompleted, Instant updatedAt) {

    public VendorState {
        statusTimestamps = (statusTimestamps == null) ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(statusTimestamps));
    }

    /**
     * Reads a device action object (an item of the list, the {@code data} of a get, or a webhook's
     * {@code data} when it is the action). Empty when the object has no {@code id}: it cannot be
     * tied to anything we sent. Every other field is read tolerantly.
     */
    public static Optional<VendorState> from(JsonNode action) {
        if (action == null || !action.isObject()) {
            return Optional.empty();
        }
        String id = blankToNull(QuipteamsJson.text(action.path("id")));
        if (id == null) {
            return Optional.empty();
        }
        Map<String, Instant> timestamps = new LinkedHashMap<>();
        JsonNode statusTimestamps = action.path("status_timestamps");
        if (statusTimestamps.isObject()) {
            for (Map.Entry<String, JsonNode> entry : statusTimestamps.properties()) {
                Instant at = instant(QuipteamsJson.text(entry.getValue()));
                if (at != null && !entry.getKey().isBlank()) {
                    timestamps.put(entry.getKey().strip(), at);
                }
            }
        }
        JsonNode wipeCompleted = action.path("wipe_completed");
        return Optional.of(new VendorState(id, blankToNull(QuipteamsJson.text(action.path("action_id"))),
                blankToNull(QuipteamsJson.text(action.path("status"))), timestamps,
                blankToNull(QuipteamsJson.text(action.path("tracking_code"))),
                blankToNull(QuipteamsJson.text(action.path("tracking_link"))),
                wipeCompleted.isBoolean() ? wipeCompleted.booleanValue() : null,
                instant(QuipteamsJson.text(action.path("updated_at")))));
    }

    /** Parses a JSON text with {@link #from(JsonNode)}; empty when it is not JSON. */
    public static Optional<VendorState> fromJson(String json) {
        return from(QuipteamsJson.parseOrNull(json));
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        }
        catch (DateTimeParseException ex) {
            try {
                return java.time.OffsetDateTime.parse(text.strip()).toInstant();
            }
            catch (DateTimeParseException notATimestamp) {
                return null;
            }
        }
    }

    private static String blankToNull(String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

}
