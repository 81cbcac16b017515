package dev.bulkoffboarding.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /api/v1/device-actions/external} (quipteams-api.md §8): a device action for a device
 * the inventory does not know, described at the top level by {@code model} (alias
 * {@code description}), {@code type} (alias {@code device_type}) and {@code country}; the rest is
 * checked as a create's body is. Strict where the vendor is silent: a device the inventory does
 * know is refused (409), so a client that sends the wrong endpoint is caught.
 */
final class ExternalDeviceCreation {

    static final String PATH = "/api/v1/device-actions/external";

    /** The device's fields and the aliases the vendor accepts for them. */
    private static final Map<String, String> DEVICE_FIELDS = Map.of("model", "description", "type", "device_type",
            "country", "country");

    private final Inventory inventory;

    private final DeviceActionStore store;

    private final JsonMapper json;

    private final DeviceActionRequestValidator validator = new DeviceActionRequestValidator();

    ExternalDeviceCreation(Inventory inventory, DeviceActionStore store, JsonMapper json) {
        this.inventory = inventory;
        this.store = store;
        this.json = json;
    }

    Reply create(String contentType, byte[] body, String idempotencyKey) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return Reply.error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        }
        JsonNode parsed;
        try {
            parsed = this.json.readTree(body);
        }
        catch (JacksonException ex) {
            return Reply.validationError("Request body is not valid JSON",
                    List.of(new FieldError("body", "is not valid JSON")));
        }
        if (parsed == null || !parsed.isObject()) {
            return Reply.validationError("Request validation failed",
                    List.of(new FieldError("body", "must be a JSON object")));
        }
        ObjectNode request = ((ObjectNode) parsed).deepCopy();
        List<FieldError> errors = new ArrayList<>();
        ObjectNode device = this.json.createObjectNode();
        for (String field : List.of("model", "type", "country")) {
            String alias = DEVICE_FIELDS.get(field);
            JsonNode value = request.has(field) ? request.remove(field) : null;
            JsonNode aliased = (!alias.equals(field) && request.has(alias)) ? request.remove(alias) : null;
            JsonNode chosen = (value != null) ? value : aliased;
            if (chosen == null || chosen.isNull() || !chosen.isString() || chosen.stringValue().isBlank()) {
                errors.add(new FieldError(field, "is required"));
            }
            else {
                device.put(field, chosen.stringValue());
            }
        }
        errors.addAll(this.validator.validate(request));
        if (!errors.isEmpty()) {
            return Reply.validationError("Request validation failed", errors);
        }
        String serialNumber = request.get("serial_number").stringValue();
        if (this.inventory.contains(serialNumber)) {
            return Reply.error(409, "CONFLICT", "Device " + serialNumber + " is in your inventory: use POST "
                    + "/api/v1/device-actions");
        }
        ObjectNode described = this.json.createObjectNode();
        described.put("serial_number", serialNumber);
        described.setAll(device);
        return Reply.data(201, this.store
            .create(request, new String(body, StandardCharsets.UTF_8), idempotencyKey, null, described)
            .json());
    }

}
