package dev.bulkoffboarding.quipteams;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code POST /api/v1/device-actions/external} (quipteams-api.md §8): the same fields as
 * a {@link DeviceActionRequest}, plus the device the vendor's inventory does not know, described at
 * the top level by {@code model}, {@code type} and {@code country}.
 *
 * @param actionType the action (required)
 * @param serialNumber the device's serial (required)
 * @param model model or description, e.g. {@code ThinkPad X1 Carbon Gen 11} (required)
 * @param type e.g. {@code Laptop}, {@code Monitor} (required)
 * @param country where the device is (required)
 * @param currentUser the current holder; name and email required
 * @param newRecipient the new holder; required by the vendor for Assign and Reassign
 * @param wipe whether to wipe the device
 * @param notes free text
 * @param notificationEmails additional addresses to notify
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "action_type", "serial_number", "model", "type", "country", "current_user", "new_recipient",
        "wipe", "notes", "notification_emails" })
public record ExternalDeviceActionRequest(
        @JsonProperty("action_type") String actionType,
        @JsonProperty("serial_number") String serialNumber,
        @JsonProperty("model") String model,
        @JsonProperty("type") String type,
        @JsonProperty("country") String country,
        @JsonProperty("current_user") DeviceActionRequest.Person currentUser,
        @JsonProperty("new_recipient") DeviceActionRequest.Person newRecipient,
        @JsonProperty("wipe") Boolean wipe,
        @JsonProperty("notes") String notes,
        @JsonProperty("notification_emails") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notificationEmails) {

    public ExternalDeviceActionRequest {
        notificationEmails = (notificationEmails == null) ? null : List.copyOf(notificationEmails);
    }

    /** The external-device request for {@code request}'s device, described by the other three. */
    public static ExternalDeviceActionRequest of(DeviceActionRequest request, String model, String type,
            String country) {
        return new ExternalDeviceActionRequest(request.actionType(), request.serialNumber(), model, type, country,
                request.currentUser(), request.newRecipient(), request.wipe(), request.notes(),
                request.notificationEmails());
    }

    /** The JSON exactly as it goes on the wire. */
    public String toJson() {
        return QuipteamsJson.MAPPER.writeValueAsString(this);
    }

}
