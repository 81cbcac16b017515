package dev.bulkoffboarding.rows;

/**
 * One record of the input as text, before validation. Values are trimmed; absent cells are empty
 * strings, never {@code null}.
 */
public record RawRow(long line, String serialNumber, String actionType, String currentUserName,
        String currentUserEmail, String currentUserCountry, String currentUserAddress, String currentUserPhone,
        String newRecipientName, String newRecipientEmail, String wipe, String notes, String notificationEmails) {
}
