package dev.bulkoffboarding.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/assets}: the inventory, as the vendor documents it (quipteams-api.md §11) and
 * where it is easy to get wrong: the {@code status} filter defaults to {@code in_storage} (a client
 * that forgets {@code status=all} misses every device in use), {@code serial_number} matches the
 * whole serial, and pages hold {@code limit} (1–100, default 25) devices with a cursor.
 *
 * <p>While no device was added, every serial but the "unknown" ones is in the inventory: such an
 * inventory cannot be listed whole, so it lists {@value #IMPLIED_DEVICES} made-up devices, in use,
 * and a serial lookup finds any serial it contains.
 */
final class AssetListing {

    static final String PATH = "/api/v1/assets";

    /** How many made-up devices an inventory nobody filled lists. */
    static final int IMPLIED_DEVICES = 1_000_000;

    private static final String CURSOR_PREFIX = "asset:";

    private final Inventory inventory;

    private final JsonMapper json;

    AssetListing(Inventory inventory, JsonMapper json) {
        this.inventory = inventory;
        this.json = json;
    }

    Reply list(String rawQuery) {
        Map<String, String> params = parseQuery(rawQuery);
        List<FieldError> errors = new ArrayList<>();
        int limit = 25;
        if (params.containsKey("limit")) {
            try {
                limit = Integer.parseInt(params.get("limit").trim());
            }
            catch (NumberFormatException ex) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                errors.add(new FieldError("limit", "must be an integer between 1 and 100"));
            }
        }
        int start = 0;
        if (params.containsKey("cursor")) {
            start = parseCursor(params.get("cursor"));
            if (start < 0) {
                errors.add(new FieldError("cursor", "is not a cursor returned by this API"));
            }
        }
        if (!errors.isEmpty()) {
            return Reply.validationError("Invalid query parameters", errors);
        }
        // documented: the default preserves the old behaviour, devices in storage only
        String status = params.getOrDefault("status", "in_storage").trim();
        String serial = params.get("serial_number");

        List<Inventory.Device> matching = new ArrayList<>();
        boolean hasMore;
        if (serial != null) {
            Inventory.Device device = this.inventory.find(serial.trim());
            if (device != null && matchesStatus(device, status)) {
                matching.add(device);
            }
            matching = page(matching, start, limit);
            hasMore = false;
        }
        else {
            List<Inventory.Device> added = this.inventory.added();
            if (added.isEmpty()) {
                for (int i = start; i < IMPLIED_DEVICES && matching.size() < limit; i++) {
                    Inventory.Device device = new Inventory.Device(String.format(Locale.ROOT, "SBX%07d", i + 1),
                            "in_use", null);
                    if (matchesStatus(device, status)) {
                        matching.add(device);
                    }
                }
                hasMore = matchesStatus(new Inventory.Device("SBX", "in_use", null), status)
                        && start + limit < IMPLIED_DEVICES;
            }
            else {
                List<Inventory.Device> filtered = added.stream().filter((d) -> matchesStatus(d, status)).toList();
                hasMore = start + limit < filtered.size();
                matching = page(filtered, start, limit);
            }
        }
        ObjectNode response = this.json.createObjectNode();
        ArrayNode data = response.putArray("data");
        matching.forEach((device) -> data.add(asset(device)));
        ObjectNode meta = response.putObject("meta");
        meta.put("has_more", hasMore);
        if (hasMore) {
            meta.put("next_cursor", Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + (start + limit)).getBytes(StandardCharsets.US_ASCII)));
        }
        else {
            meta.putNull("next_cursor");
        }
        return Reply.json(200, response);
    }

    private static List<Inventory.Device> page(List<Inventory.Device> devices, int start, int limit) {
        if (start >= devices.size()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(devices.subList(start, Math.min(devices.size(), start + limit)));
    }

    private static boolean matchesStatus(Inventory.Device device, String status) {
        return status.equalsIgnoreCase("all") || status.equalsIgnoreCase(device.status());
    }

    /** An asset as §11's example shows one; {@code id} is null for devices in use. */
    private ObjectNode asset(Inventory.Device device) {
        ObjectNode details = this.inventory.device(device.serialNumber());
        ObjectNode asset = this.json.createObjectNode();
        if ("in_use".equalsIgnoreCase(device.status())) {
            asset.putNull("id");
        }
        else {
            asset.put("id", java.util.UUID.nameUUIDFromBytes(device.serialNumber().getBytes(StandardCharsets.UTF_8))
                .toString());
        }
        asset.put("serial_number", device.serialNumber());
        asset.put("company", DeviceActionStore.COMPANY);
        asset.set("country", details.get("country"));
        asset.set("device_type", details.get("type"));
        asset.set("description", details.get("model"));
        if (device.employee() == null) {
            asset.putNull("employee");
        }
        else {
            asset.put("employee", device.employee());
        }
        asset.put("condition", "Good");
        asset.put("status", device.status());
        asset.put("quantity", 1);
        return asset;
    }

    private static int parseCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                int position = Integer.parseInt(text.substring(CURSOR_PREFIX.length()));
                return (position > 0) ? position : -1;
            }
        }
        catch (IllegalArgumentException ex) {
            // not Base64 or not a number: a foreign cursor
        }
        return -1;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, StandardCharsets.UTF_8);
            String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8) : "";
            if (!value.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

}
