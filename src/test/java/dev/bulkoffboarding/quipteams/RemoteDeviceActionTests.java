package dev.bulkoffboarding.quipteams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteDeviceActionTests {

    @Test
    void matchesTheSameSerialAndActionIgnoringCaseAndSurroundingSpace() {
        // given
        RemoteDeviceAction action = action(" c02x9876wxyz ", null, "store");

        // when / then
        assertThat(action.matches("C02X9876WXYZ", "Store")).isTrue();
    }

    @Test
    void doesNotMatchAPartialSerialOrAnotherActionType() {
        // given: the vendor's serial filter is a partial match
        RemoteDeviceAction longerSerial = action("C02X9876WXYZ-2", null, "Store");
        RemoteDeviceAction shorterSerial = action("C02X9876", null, "Store");
        RemoteDeviceAction otherAction = action("C02X9876WXYZ", null, "Retrieval");
        RemoteDeviceAction noSerial = action(null, null, "Store");

        // when / then
        assertThat(longerSerial.matches("C02X9876WXYZ", "Store")).isFalse();
        assertThat(shorterSerial.matches("C02X9876WXYZ", "Store")).isFalse();
        assertThat(otherAction.matches("C02X9876WXYZ", "Store")).isFalse();
        assertThat(noSerial.matches("C02X9876WXYZ", "Store")).isFalse();
    }

    @Test
    void matchesATopLevelSerialWhenTheDeviceHasNone() {
        // given
        RemoteDeviceAction action = action(null, "C02X9876WXYZ", "Store");

        // when / then
        assertThat(action.matches("C02X9876WXYZ", "Store")).isTrue();
    }

    private static RemoteDeviceAction action(String deviceSerial, String topLevelSerial, String actionType) {
        return new RemoteDeviceAction("da-1", "DA-1", actionType, "In Progress", deviceSerial, topLevelSerial, null);
    }

}
