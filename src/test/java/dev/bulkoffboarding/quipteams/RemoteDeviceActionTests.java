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

    @Test
    void isOursOnlyWithTheSameWipeFlag() {
        // given
        ActionFingerprint wipe = new ActionFingerprint("C02X9876WXYZ", "Store", true, "john@acme.com", null);
        ActionFingerprint noWipe = new ActionFingerprint("C02X9876WXYZ", "Store", false, "john@acme.com", null);

        // when / then: an item without the field reads as the vendor's default, no wipe
        assertThat(item(true, "john@acme.com", null).isSameAs(wipe)).isTrue();
        assertThat(item(false, "john@acme.com", null).isSameAs(wipe)).isFalse();
        assertThat(item(null, "john@acme.com", null).isSameAs(wipe)).isFalse();
        assertThat(item(null, "john@acme.com", null).isSameAs(noWipe)).isTrue();
        assertThat(item(true, "john@acme.com", null).isSameAs(noWipe)).isFalse();
    }

    @Test
    void isOursOnlyWithTheSamePeopleComparingEmailsIgnoringCase() {
        // given
        ActionFingerprint assign = new ActionFingerprint("C02X9876WXYZ", "Store", false, "john@acme.com",
                "jane@acme.com");

        // when / then
        assertThat(item(false, "JOHN@acme.com", "Jane@Acme.com ").isSameAs(assign)).isTrue();
        assertThat(item(false, "john@acme.com", null).isSameAs(assign)).isFalse();
        assertThat(item(false, "john@acme.com", "jim@acme.com").isSameAs(assign)).isFalse();
        assertThat(item(false, "other@acme.com", "jane@acme.com").isSameAs(assign)).isFalse();
        assertThat(item(false, null, "jane@acme.com").isSameAs(assign)).isFalse();
    }

    @Test
    void isOursWhenNeitherSideHasANewRecipient() {
        // given
        ActionFingerprint store = new ActionFingerprint("C02X9876WXYZ", "Store", false, "john@acme.com", null);

        // when / then
        assertThat(item(false, "john@acme.com", null).isSameAs(store)).isTrue();
        assertThat(item(false, "john@acme.com", "").isSameAs(store)).isTrue();
        assertThat(item(false, "john@acme.com", "jane@acme.com").isSameAs(store)).isFalse();
    }

    @Test
    void isNotOursForAnotherDeviceEvenWithTheSamePeople() {
        // given
        ActionFingerprint store = new ActionFingerprint("C02X9876WXYZ", "Store", false, "john@acme.com", null);
        RemoteDeviceAction otherDevice = new RemoteDeviceAction("da-1", "DA-1", "Store", "In Progress",
                "C02X9876WXYZ-2", null, null, false, "john@acme.com", null);

        // when / then
        assertThat(otherDevice.isSameAs(store)).isFalse();
    }

    private static RemoteDeviceAction item(Boolean wipe, String currentUserEmail, String newRecipientEmail) {
        return new RemoteDeviceAction("da-1", "DA-1", "Store", "In Progress", "C02X9876WXYZ", null, null, wipe,
                currentUserEmail, newRecipientEmail);
    }

    private static RemoteDeviceAction action(String deviceSerial, String topLevelSerial, String actionType) {
        return new RemoteDeviceAction("da-1", "DA-1", actionType, "In Progress", deviceSerial, topLevelSerial, null);
    }

}
