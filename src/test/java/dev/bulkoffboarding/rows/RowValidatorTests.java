package dev.bulkoffboarding.rows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RowValidatorTests {

    private final RowValidator validator = new RowValidator(RowRules.defaults());

    static RawRow aValidRow() {
        return new RawRow(2, "C02X9876WXYZ", "Store", "John Doe", "john@acme.com", "United States", "123 Main St",
                "+1-555-0100", "", "", "true", "Employee leaving March 15th", "it@acme.com");
    }

    static RawRow with(RawRow row, String field, String value) {
        return new RawRow(row.line(), field.equals("serial") ? value : row.serialNumber(),
                field.equals("action") ? value : row.actionType(), field.equals("name") ? value : row.currentUserName(),
                field.equals("email") ? value : row.currentUserEmail(), row.currentUserCountry(),
                row.currentUserAddress(), row.currentUserPhone(),
                field.equals("recipientName") ? value : row.newRecipientName(),
                field.equals("recipientEmail") ? value : row.newRecipientEmail(),
                field.equals("wipe") ? value : row.wipe(), row.notes(),
                field.equals("notify") ? value : row.notificationEmails());
    }

    @Test
    void acceptsTheVendorsExampleRow() {
        // when
        ValidationResult result = this.validator.validate(aValidRow());

        // then
        assertThat(result.problems()).isEmpty();
        OffboardingRequest request = result.request();
        assertThat(request.actionType()).isEqualTo("Store");
        assertThat(request.wipe()).isTrue();
        assertThat(request.currentUser()).isEqualTo(
                new Person("John Doe", "john@acme.com", "United States", "123 Main St", "+1-555-0100"));
        assertThat(request.newRecipient()).isNull();
        assertThat(request.notificationEmails()).containsExactly("it@acme.com");
        assertThat(result.serialKey()).isEqualTo("C02X9876WXYZ");
    }

    @Test
    void listsEveryProblemOfARow() {
        // given
        RawRow row = new RawRow(7, "", "", "", "", "", "", "", "", "", "maybe", "", "not-an-email");

        // when
        ValidationResult result = this.validator.validate(row);

        // then
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).containsExactly("serial_number is required", "action_type is required",
                "current_user_name is required", "current_user_email is required",
                "wipe 'maybe' is not true/false/yes/no/1/0/y/n",
                "notification_emails: 'not-an-email' is not a valid e-mail address");
    }

    @ParameterizedTest
    @CsvSource({ "store,Store", "RETRIEVAL,Retrieval", "assign,Assign", "ReAssign,Reassign" })
    void matchesActionTypesIgnoringCase(String given, String canonical) {
        // given
        RawRow row = with(with(aValidRow(), "action", given), "wipe", "");
        if (canonical.endsWith("ssign")) {
            row = with(with(row, "recipientName", "Jane Roe"), "recipientEmail", "jane@acme.com");
        }

        // when
        ValidationResult result = this.validator.validate(row);

        // then
        assertThat(result.actionType()).isEqualTo(canonical);
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void rejectsUnknownActionType() {
        ValidationResult result = this.validator.validate(with(aValidRow(), "action", "Wipe"));

        assertThat(result.problems()).containsExactly("action_type 'Wipe' is not one of Store, Retrieval, Assign, Reassign");
    }

    @Test
    void acceptsConfiguredActionTypes() {
        // given
        var validator = new RowValidator(new RowRules(List.of("Store", "Deploy"), List.of(), List.of("Store")));

        // when
        ValidationResult result = validator.validate(with(with(aValidRow(), "action", "deploy"), "wipe", ""));

        // then
        assertThat(result.problems()).isEmpty();
        assertThat(result.actionType()).isEqualTo("Deploy");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Assign", "Reassign" })
    void requiresNewRecipientForAssignAndReassign(String action) {
        ValidationResult result = this.validator.validate(with(with(aValidRow(), "action", action), "wipe", ""));

        assertThat(result.problems()).containsExactly("new_recipient_name is required",
                "new_recipient_email is required");
    }

    @Test
    void rejectsNewRecipientOnStore() {
        ValidationResult result = this.validator.validate(with(aValidRow(), "recipientEmail", "jane@acme.com"));

        assertThat(result.problems()).singleElement().asString().startsWith("new_recipient is given, but Store");
    }

    @Test
    void rejectsWipeOnReassign() {
        // given
        RawRow row = with(with(with(aValidRow(), "action", "Reassign"), "recipientName", "Jane Roe"),
                "recipientEmail", "jane@acme.com");

        // when
        ValidationResult result = this.validator.validate(row);

        // then
        assertThat(result.problems()).singleElement().asString()
            .startsWith("wipe=true is only accepted for Store and Retrieval, not for Reassign");
    }

    @ParameterizedTest
    @CsvSource({ "true,true", "Yes,true", "y,true", "1,true", "FALSE,false", "no,false", "N,false", "0,false" })
    void readsWipeFlags(String given, boolean expected) {
        ValidationResult result = this.validator.validate(with(aValidRow(), "wipe", given));

        assertThat(result.request().wipe()).isEqualTo(expected);
    }

    @Test
    void leavesWipeOutWhenBlank() {
        ValidationResult result = this.validator.validate(with(aValidRow(), "wipe", ""));

        assertThat(result.request().wipe()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "john@", "@acme.com", "john acme.com", "john@acme", "john@@acme.com", "jo hn@acme.com",
            "john@acme..com" })
    void rejectsMalformedEmails(String email) {
        ValidationResult result = this.validator.validate(with(aValidRow(), "email", email));

        assertThat(result.problems()).containsExactly("current_user_email '" + email + "' is not a valid e-mail address");
    }

    @Test
    void splitsNotificationEmailsOnSemicolonsAndCommas() {
        ValidationResult result = this.validator.validate(with(aValidRow(), "notify", "it@acme.com; hr@acme.com,ops@acme.com"));

        assertThat(result.request().notificationEmails()).containsExactly("it@acme.com", "hr@acme.com", "ops@acme.com");
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.23457E+11", "4,56E+11", "12E5" })
    void rejectsSerialsMangledBySpreadsheets(String serial) {
        ValidationResult result = this.validator.validate(with(aValidRow(), "serial", serial));

        assertThat(result.problems()).singleElement().asString().contains("mangled by a spreadsheet");
    }

    @Test
    void boundsLengths() {
        ValidationResult result = this.validator.validate(with(aValidRow(), "name", "x".repeat(201)));

        assertThat(result.problems()).containsExactly("current_user_name is longer than 200 characters");
    }

    @Test
    void comparesSerialsIgnoringCaseAndSpace() {
        assertThat(RowValidator.serialKey(" c02x9876wxyz ")).isEqualTo("C02X9876WXYZ");
        assertThat(RowValidator.serialKey("  ")).isNull();
    }

}
