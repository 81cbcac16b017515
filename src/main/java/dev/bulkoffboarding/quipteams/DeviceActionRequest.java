package dev.bulkoffboarding.quipteams;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code POST /api/v1/device-actions} (quipteams-api.md §7), field for field: snake_case
 * names, {@code current_user} and {@code new_recipient} as objects, {@code wipe} a JSON boolean.
 * Absent optional fields are omitted rather than sent as {@code null}, and so is an empty
 * {@code notification_emails}, because the vendor does not say how it treats either.
 *
 * @param actionType the action, e.g. {@code Store} or {@code Retrieval} (required)
 * @param serialNumber a serial in the company's inventory (required)
 * @param currentUser the current holder; name and email required
 * @param newRecipient the new holder; required by the vendor for Assign and Reassign
 * @param wipe whether to wipe the device
 * @param notes free text
 * @param notificationEmails additional addresses to notify
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "action_type", "serial_number", "current_user", "new_recipient", "wipe", "notes",
        "notification_emails" })
public record DeviceActionRequest(
        @JsonProperty("action_type") String actionType,
        @JsonProperty("serial_number") String serialNumber,
        @JsonProperty("current_user") Person currentUser,
        @JsonProperty("new_recipient") Person newRecipient,
        @JsonProperty("wipe") Boolean wipe,
        @JsonProperty("notes") String notes,
        @JsonProperty("notification_emails") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notificationEmails) {

    public DeviceActionRequest {
        notificationEmails = (notificationEmails == null) ? null : List.copyOf(notificationEmails);
    }

    /** The JSON exactly as it goes on the wire; this is what a {@link Submission#body()} holds. */
    public String toJson() {
        return QuipteamsJson.MAPPER.writeValueAsString(this);
    }

    /**
     * A person as the vendor's example shows one; absent fields are omitted.
     *
     * @param name full name (required by the vendor)
     * @param email e-mail address (required by the vendor)
     * @param country country as a full name, e.g. {@code United States}
     * @param address postal address
     * @param phone phone number
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "name", "email", "country", "address", "phone" })
    public record Person(
            @JsonProperty("name") String name,
            @JsonProperty("email") String email,
            @JsonProperty("country") String country,
            @JsonProperty("address") String address,
            @JsonProperty("phone") String phone) {
    }

}
