package dev.bulkoffboarding.rows;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
                field.equals("email") ? value : row.currentUserEmail(),
                field.equals("country") ? value : row.currentUserCountry(),
                field.equals("address") ? value : row.currentUserAddress(),
                field.equals("phone") ? value : row.currentUserPhone(),
                field.equals("recipientName") ? value : row.newRecipientName(),
                field.equals("recipientEmail") ? value : row.newRecipientEmail(),
                field.equals("wipe") ? value : row.wipe(), field.equals("notes") ? value : row.notes(),
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

    @ParameterizedTest(name = "line break {index}")
    @ValueSource(strings = { "\n", "\r\n", "\r" })
    void acceptsAnAddressTypedOnSeveralLinesAndKeepsItsLineBreaks(String lineBreak) {
        // given: what Alt+Enter in Excel (LF), LibreOffice or an old Mac export (CR), or a CRLF export make
        String address = "12 Rue de la Paix" + lineBreak + "75002 Paris" + lineBreak + "France";

        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), "address", address));

        // then
        assertThat(result.problems()).isEmpty();
        assertThat(result.request().currentUser().address()).isEqualTo(address);
    }

    @Test
    void acceptsNotesOfAHundredThousandCharactersWithLineBreaksAndTabsVerbatim() {
        // given
        String notes = IntStream.range(0, 50)
            .mapToObj((i) -> "line " + i + "\t" + "n".repeat(2_000))
            .collect(Collectors.joining("\r\n"));

        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), "notes", notes));

        // then
        assertThat(notes).hasSizeGreaterThan(100_000);
        assertThat(result.problems()).isEmpty();
        assertThat(result.request().notes()).isEqualTo(notes);
    }

    @ParameterizedTest
    @CsvSource({ "name,current_user_name", "country,current_user_country", "phone,current_user_phone" })
    void rejectsLineBreaksInOneLineFieldsNamingTheColumn(String field, String column) {
        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), field, "first\nsecond"));

        // then
        assertThat(result.problems()).containsExactly(column + " is on more than one line: remove the line break");
    }

    @ParameterizedTest
    @CsvSource({ "address,current_user_address,0007", "address,current_user_address,001B",
            "notes,notes,0007", "notes,notes,001B", "notes,notes,007F", "notes,notes,0085" })
    void rejectsOtherControlCharactersInFreeTextNamingTheColumnAndTheCharacter(String field, String column,
            String code) {
        // given
        String value = "line one\nline two " + (char) Integer.parseInt(code, 16) + " bell";

        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), field, value));

        // then
        assertThat(result.problems()).containsExactly(column + " contains a control character (U+" + code
                + "): only line breaks and tabs may be in it");
    }

    @Test
    void rejectsNulInFreeText() {
        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), "address", "12 Main St\n\0"));

        // then
        assertThat(result.problems()).containsExactly("current_user_address contains a NUL character");
    }

    @Test
    void quotesLongValuesShortSoThatTheProblemsFitTheLedger() {
        // given: cells up to the input's limits, each wrong
        RawRow row = with(with(with(aValidRow(), "action", "Store" + "x".repeat(9_995)), "email",
                "x".repeat(10_000)), "notify", "not-an-address ".repeat(600));

        // when
        ValidationResult result = this.validator.validate(row);

        // then
        assertThat(result.problems()).containsExactly(
                "action_type 'Storexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (10000 characters) is not one "
                        + "of Store, Retrieval, Assign, Reassign",
                "current_user_email 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (10000 characters) "
                        + "is not a valid e-mail address",
                "notification_emails: 'not-an-address' is not a valid e-mail address");
        assertThat(String.join("; ", result.problems())).hasSizeLessThan(4000);
    }

    @Test
    void namesTheFirstFewInvalidNotificationEmailsAndCountsTheRest() {
        // when
        ValidationResult result = this.validator.validate(with(aValidRow(), "notify", "a; b\nc, d; e; it@acme.com"));

        // then
        assertThat(result.problems()).containsExactly("notification_emails: 'a' is not a valid e-mail address",
                "notification_emails: 'b' is not a valid e-mail address",
                "notification_emails: 'c' is not a valid e-mail address",
                "notification_emails: 2 more addresses are not valid e-mail addresses");
    }

    @Test
    void comparesSerialsIgnoringCaseAndSpace() {
        assertThat(RowValidator.serialKey(" c02x9876wxyz ")).isEqualTo("C02X9876WXYZ");
        assertThat(RowValidator.serialKey("  ")).isNull();
    }

}
