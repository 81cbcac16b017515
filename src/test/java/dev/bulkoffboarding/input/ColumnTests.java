package dev.bulkoffboarding.input;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnTests {

    @Test
    void namesCanonicalHeadersInSnakeCaseInTemplateOrder() {
        // when
        String[] headers = Arrays.stream(Column.values()).map(Column::header).toArray(String[]::new);

        // then
        assertThat(headers).containsExactly("serial_number", "action_type", "current_user_name",
                "current_user_email", "current_user_country", "current_user_address", "current_user_phone",
                "new_recipient_name", "new_recipient_email", "wipe", "notes", "notification_emails", "device_model",
                "device_type", "device_country");
    }

    @Test
    void requiresSerialActionAndCurrentUserNameAndEmail() {
        // when
        Column[] required = Arrays.stream(Column.values()).filter(Column::required).toArray(Column[]::new);

        // then
        assertThat(required).containsExactly(Column.SERIAL_NUMBER, Column.ACTION_TYPE, Column.CURRENT_USER_NAME,
                Column.CURRENT_USER_EMAIL);
    }

    @Test
    void matchesItsOwnCanonicalHeader() {
        for (Column column : Column.values()) {
            // when / then
            assertThat(Column.forHeader(column.header())).contains(column);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Serial Number          | SERIAL_NUMBER
            serial_number          | SERIAL_NUMBER
            SERIAL-NUMBER          | SERIAL_NUMBER
            Serial                 | SERIAL_NUMBER
            S/N                    | SERIAL_NUMBER
            SN                     | SERIAL_NUMBER
            Serial No.             | SERIAL_NUMBER
            Serial #               | SERIAL_NUMBER
            Device Serial          | SERIAL_NUMBER
            Serial Number*         | SERIAL_NUMBER
            Serial Number (required) | SERIAL_NUMBER
            Action                 | ACTION_TYPE
            Action Type            | ACTION_TYPE
            Type of Action         | ACTION_TYPE
            Model                  | DEVICE_MODEL
            Description            | DEVICE_MODEL
            Device Model           | DEVICE_MODEL
            Device Type            | DEVICE_TYPE
            Type                   | DEVICE_TYPE
            Country of device      | DEVICE_COUNTRY
            Device Country         | DEVICE_COUNTRY
            Country                | CURRENT_USER_COUNTRY
            Employee Name          | CURRENT_USER_NAME
            Holder Name            | CURRENT_USER_NAME
            Current User           | CURRENT_USER_NAME
            Name                   | CURRENT_USER_NAME
            current_user.name      | CURRENT_USER_NAME
            Employee Email         | CURRENT_USER_EMAIL
            Holder Email           | CURRENT_USER_EMAIL
            Email                  | CURRENT_USER_EMAIL
            E-mail                 | CURRENT_USER_EMAIL
            current_user.email     | CURRENT_USER_EMAIL
            Country                | CURRENT_USER_COUNTRY
            Employee Country       | CURRENT_USER_COUNTRY
            Address                | CURRENT_USER_ADDRESS
            Phone                  | CURRENT_USER_PHONE
            Mobile                 | CURRENT_USER_PHONE
            Phone Number           | CURRENT_USER_PHONE
            Recipient Name         | NEW_RECIPIENT_NAME
            New Recipient          | NEW_RECIPIENT_NAME
            New Recipient Name     | NEW_RECIPIENT_NAME
            Recipient Email        | NEW_RECIPIENT_EMAIL
            New Recipient Email    | NEW_RECIPIENT_EMAIL
            new_recipient.email    | NEW_RECIPIENT_EMAIL
            Wipe                   | WIPE
            Wipe Device            | WIPE
            Wipe (yes/no)          | WIPE
            Notes                  | NOTES
            Comment                | NOTES
            Comments               | NOTES
            Notify                 | NOTIFICATION_EMAILS
            Notification Emails    | NOTIFICATION_EMAILS
            CC                     | NOTIFICATION_EMAILS
            """)
    void matchesHeadersPeopleType(String header, Column expected) {
        // when / then
        assertThat(Column.forHeader(header)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "-", "Department", "Recipient Phone", "Serial Number 2", "Emails",
            "User Name" })
    void leavesUnknownOrAmbiguousHeadersUnmatched(String header) {
        // when / then
        assertThat(Column.forHeader(header)).isEmpty();
    }

    @Test
    void treatsNullAsNoColumn() {
        // when / then
        assertThat(Column.forHeader(null)).isEmpty();
    }

    @Test
    void normalisesToLowerCaseLettersAndDigitsWithoutRemarks() {
        // when / then
        assertThat(Column.normalise(" Serial-No. (see [sheet 2]) ")).isEqualTo("serialno");
        assertThat(Column.normalise("(notes)")).isEqualTo("notes");
        assertThat(Column.normalise("Straße 2")).isEqualTo("straße2");
    }

}
