package dev.bulkoffboarding.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox company's device inventory: every serial is in it except those matching the
 * configured "unknown" pattern. Device details are derived from the serial so that the same
 * serial always describes the same device, as the vendor's auto-populated details would.
 */
final class Inventory {

    private static final List<Model> MODELS = List.of(
            new Model("MacBook Pro 14\"", "Laptop"),
            new Model("MacBook Air 13\"", "Laptop"),
            new Model("ThinkPad X1 Carbon Gen 11", "Laptop"),
            new Model("Dell Latitude 7440", "Laptop"),
            new Model("Dell UltraSharp U2723QE", "Monitor"),
            new Model("Apple Magic Keyboard", "Keyboard"));

    private static final List<String> COUNTRIES = List.of("United States", "Germany", "United Kingdom", "Canada",
            "Spain", "Netherlands");

    private final Pattern unknownSerial;

    private final JsonMapper json;

    Inventory(Pattern unknownSerial, JsonMapper json) {
        this.unknownSerial = unknownSerial;
        this.json = json;
    }

    boolean contains(String serialNumber) {
        return !unknownSerial.matcher(serialNumber).find();
    }

    /** The {@code device} object of a device action: {@code serial_number, model, type, country}. */
    ObjectNode device(String serialNumber) {
        // Case-insensitive so that "c02x…" and "C02X…" describe the same machine.
        int hash = serialNumber.trim().toUpperCase(Locale.ROOT).hashCode();
        Model model = MODELS.get(Math.floorMod(hash, MODELS.size()));
        ObjectNode device = json.createObjectNode();
        device.put("serial_number", serialNumber);
        device.put("model", model.name());
        device.put("type", model.type());
        device.put("country", COUNTRIES.get(Math.floorMod(hash / MODELS.size(), COUNTRIES.size())));
        return device;
    }

    private record Model(String name, String type) {
    }

}
