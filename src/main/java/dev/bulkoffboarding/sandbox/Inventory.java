package dev.bulkoffboarding.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox company's device inventory. Until a test adds a device ({@link #add}), every serial is
 * in it except those matching the configured "unknown" pattern, held by nobody we know of; once one
 * is added, the inventory is exactly the devices added, each with its status and holder. Device
 * details are derived from the serial so that the same serial always describes the same device,
 * as the vendor's auto-populated details would.
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

    /** Devices added by tests, by upper-cased serial, in the order added; guarded by itself. */
    private final Map<String, Device> devices = new LinkedHashMap<>();

    boolean contains(String serialNumber) {
        synchronized (devices) {
            if (!devices.isEmpty()) {
                return devices.containsKey(key(serialNumber));
            }
        }
        return !unknownSerial.matcher(serialNumber).find();
    }

    /** Adds (or replaces) a device: from now on the inventory is exactly the devices added. */
    void add(String serialNumber, String status, String employee) {
        synchronized (devices) {
            devices.put(key(serialNumber), new Device(serialNumber.strip(), status, employee));
        }
    }

    /** The devices added, in the order added; empty while every serial is in the inventory. */
    List<Device> added() {
        synchronized (devices) {
            return List.copyOf(devices.values());
        }
    }

    /** The device with this serial (compared ignoring case), added or implied; null when not in the inventory. */
    Device find(String serialNumber) {
        synchronized (devices) {
            if (!devices.isEmpty()) {
                return devices.get(key(serialNumber));
            }
        }
        // an implied device: in use, by someone the sandbox does not know
        return contains(serialNumber) ? new Device(serialNumber.strip(), "in_use", null) : null;
    }

    void clear() {
        synchronized (devices) {
            devices.clear();
        }
    }

    private static String key(String serialNumber) {
        return serialNumber.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * One device of the inventory.
     *
     * @param serialNumber as added
     * @param status {@code in_storage}, {@code in_use}, ...
     * @param employee who holds it, or null
     */
    record Device(String serialNumber, String status, String employee) {
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
