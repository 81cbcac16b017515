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
 * @param wipe {@code wipe}, null if missing or not a boolean
 * @param currentUserEmail {@code current_user.email}
 * @param newRecipientEmail {@code new_recipient.email}, null when there is no new recipient
 */
public record RemoteDeviceAction(String id, String actionId, String actionType, String status,
        String deviceSerialNumber, String serialNumber, Instant createdAt, Boolean wipe, String currentUserEmail,
        String newRecipientEmail) {

    /** An item that says nothing about wipe and people (tests of serial and action type matching). */
    public RemoteDeviceAction(String id, String actionId, String actionType, String status,
            String deviceSerialNumber, String serialNumber, Instant createdAt) {
        this(id, actionId, actionType, status, deviceSerialNumber, serialNumber, createdAt, null, null, null);
    }

    /**
     * Whether this is for the device and action type we would have created it for. The vendor's
     * serial filter is partial and case-insensitive, so we compare whole values here. Case is
     * still ignored: the vendor fills {@code device} from its inventory, whose spelling of a serial
     * may differ in case from the CSV's (its case handling is not documented), and reading our own
     * action as someone else's would send it a second time.
     */
    public boolean matches(String ourSerialNumber, String ourActionType) {
        String serial = ourSerialNumber.strip();
        boolean serialMatches = serial.equalsIgnoreCase(strip(deviceSerialNumber))
                || serial.equalsIgnoreCase(strip(serialNumber));
        return serialMatches && ourActionType.strip().equalsIgnoreCase(strip(actionType));
    }

    /**
     * Whether this action is the one {@code ours} describes: same device and action type, same
     * wipe flag (absent reads as false, as the vendor's default), and the same current user's and
     * new recipient's e-mail (ignoring case; absent on both sides is the same). An action someone
     * made for the device in the vendor's dashboard differs in one of these more often than not,
     * and taking it for ours would leave our request undone.
     */
    boolean isSameAs(ActionFingerprint ours) {
        return matches(ours.serialNumber(), ours.actionType())
                && Boolean.TRUE.equals(wipe) == ours.wipe()
                && sameEmail(currentUserEmail, ours.currentUserEmail())
                && sameEmail(newRecipientEmail, ours.newRecipientEmail());
    }

    private static boolean sameEmail(String theirs, String ours) {
        String a = blankToNull(theirs);
        String b = blankToNull(ours);
        return (a == null || b == null) ? a == b : a.equalsIgnoreCase(b);
    }

    private static String blankToNull(String value) {
        return (value == null || value.isBlank()) ? null : value.strip();
    }

    private static String strip(String value) {
        return (value == null) ? null : value.strip();
    }

}
