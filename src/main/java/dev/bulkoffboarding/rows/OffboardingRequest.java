package dev.bulkoffboarding.rows;

import java.util.List;

/**
 * A validated device action: what one row asks Quipteams to do. {@code actionType} is in its
 * canonical spelling, {@code wipe} is {@code null} when the row did not say.
 */
public record OffboardingRequest(String serialNumber, String actionType, Person currentUser, Person newRecipient,
        Boolean wipe, String notes, List<String> notificationEmails) {

    /** The key two rows are compared by: serials are matched ignoring case and surrounding space. */
    public String serialKey() {
        return RowValidator.serialKey(serialNumber);
    }

}
