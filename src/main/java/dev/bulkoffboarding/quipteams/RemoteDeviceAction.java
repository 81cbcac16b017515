package dev.bulkoffboarding.quipteams;

import java.time.Instant;

/**
 * A device action as the list endpoint returns it, reduced to what reconciling needs. Every field
 * may be null: the vendor's examples disagree, and an item we cannot read simply does not match.
 *
 * @param id the UUID ({@code id})
 * @param actionId the human id ({@code action_id})
 * @param actionType {@code action_type}
 * @param status {@code status}
 * @param deviceSerialNumber {@code device.serial_number}
 * @param serialNumber a top-level {@code serial_number}, if the vendor sends one
 * @param createdAt {@code created_at}, null if missing or unparseable
 */
public record RemoteDeviceAction(String id, String actionId, String actionType, String status,
        String deviceSerialNumber, String serialNumber, Instant createdAt) {

    /**
     * Whether this is the action we would have created. The vendor's serial filter is partial and
     * case-insensitive, so we compare exactly here: equal ignoring case after trimming, for the
     * serial and for the action type.
     */
    public boolean matches(String ourSerialNumber, String ourActionType) {
        String serial = ourSerialNumber.strip();
        boolean serialMatches = serial.equalsIgnoreCase(strip(deviceSerialNumber))
                || serial.equalsIgnoreCase(strip(serialNumber));
        return serialMatches && ourActionType.strip().equalsIgnoreCase(strip(actionType));
    }

    private static String strip(String value) {
        return (value == null) ? null : value.strip();
    }

}
