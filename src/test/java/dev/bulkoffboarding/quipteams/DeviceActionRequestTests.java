package dev.bulkoffboarding.quipteams;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceActionRequestTests {

    /**
     * The "Example Request Body" of the vendor's create page, verbatim
     * ({@code shared/seed/create-device-action.txt}).
     */
    private static final String VENDOR_EXAMPLE_REQUEST = """
            {
              "action_type": "Store",
              "serial_number": "C02X9876WXYZ",
              "current_user": {
                "name": "John Doe",
                "email": "john@acme.com",
                "country": "United States",
                "address": "123 Main St",
                "phone": "+1-555-0100"
              },
              "wipe": true,
              "notes": "Employee leaving March 15th",
              "notification_emails": [
                "it@acme.com"
              ]
            }
            """;

    @Test
    void serialisesTheVendorExampleToTheSameJsonTree() {
        // given
        DeviceActionRequest request = new DeviceActionRequest("Store", "C02X9876WXYZ",
                new DeviceActionRequest.Person("John Doe", "john@acme.com", "United States", "123 Main St",
                        "+1-555-0100"),
                null, true, "Employee leaving March 15th", List.of("it@acme.com"));

        // when
        String json = request.toJson();

        // then
        JsonNode expected = QuipteamsJson.MAPPER.readTree(VENDOR_EXAMPLE_REQUEST);
        assertThat(QuipteamsJson.MAPPER.readTree(json)).isEqualTo(expected);
        assertThat(json).startsWith("{\"action_type\":\"Store\",\"serial_number\":\"C02X9876WXYZ\",\"current_user\":{");
    }

    @Test
    void omitsAbsentOptionalFieldsInsteadOfSendingNulls() {
        // given
        DeviceActionRequest request = new DeviceActionRequest("Retrieval", "SN-1",
                new DeviceActionRequest.Person("Ada Lovelace", "ada@acme.com", null, null, null),
                null, null, null, List.of());

        // when
        String json = request.toJson();

        // then
        assertThat(json).isEqualTo("{\"action_type\":\"Retrieval\",\"serial_number\":\"SN-1\","
                + "\"current_user\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@acme.com\"}}");
        assertThat(json).doesNotContain("null", "wipe", "new_recipient", "notification_emails", "notes");
    }

    @Test
    void sendsWipeAsAJsonBooleanAndTheNewRecipientAsAnObject() {
        // given
        DeviceActionRequest request = new DeviceActionRequest("Reassign", "SN-2",
                new DeviceActionRequest.Person("Ada Lovelace", "ada@acme.com", null, null, null),
                new DeviceActionRequest.Person("Grace Hopper", "grace@acme.com", "Germany", null, null),
                false, null, List.of("it@acme.com", "hr@acme.com"));

        // when
        JsonNode json = QuipteamsJson.MAPPER.readTree(request.toJson());

        // then
        assertThat(json.get("wipe").isBoolean()).isTrue();
        assertThat(json.get("wipe").asBoolean()).isFalse();
        assertThat(json.get("new_recipient").get("email").stringValue()).isEqualTo("grace@acme.com");
        assertThat(json.get("new_recipient").get("country").stringValue()).isEqualTo("Germany");
        assertThat(json.get("notification_emails").size()).isEqualTo(2);
    }

}
