package dev.bulkoffboarding.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.input.Column;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** How the optional device_model, device_type and device_country columns are staged. */
class ExternalDeviceStagingTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StagingProcessor processor = new StagingProcessor(7, "a".repeat(64),
            new RowValidator(RowRules.defaults()), JSON, true);

    @Test
    void aDescribedDeviceGetsTheExternalRequestBesideTheUsualOne() {
        // when
        LedgerRow row = this.processor.process(record("MacBook Pro 14", "Laptop", "Germany"));

        // then
        assertThat(row.state()).isEqualTo(RowState.VALID);
        assertThat(JSON.readTree(row.requestBody()).propertyNames()).containsExactly("action_type", "serial_number",
                "current_user", "wipe");
        JsonNode external = JSON.readTree(row.externalRequestBody());
        assertThat(external.propertyNames()).containsExactly("action_type", "serial_number", "model", "type",
                "country", "current_user", "wipe");
        assertThat(external.get("model").stringValue()).isEqualTo("MacBook Pro 14");
        assertThat(external.get("type").stringValue()).isEqualTo("Laptop");
        assertThat(external.get("country").stringValue()).isEqualTo("Germany");
        assertThat(external.get("current_user")).isEqualTo(JSON.readTree(row.requestBody()).get("current_user"));
    }

    @Test
    void aRowThatDescribesItsDeviceHalfwayIsInvalidNamingWhatIsMissing() {
        // when
        LedgerRow row = this.processor.process(record("MacBook Pro 14", "", ""));

        // then
        assertThat(row.state()).isEqualTo(RowState.INVALID);
        assertThat(row.errorMessage()).startsWith("device_type and device_country are missing: a device sent as an "
                + "external device");
    }

    @Test
    void aLoneDescriptionColumnIsNotAPromiseToDescribeTheDevice() {
        // given: a file whose only such column is "Description"
        Map<Column, String> values = base();
        values.put(Column.DEVICE_MODEL, "the grey one");

        // when
        LedgerRow row = this.processor.process(new CsvRecord(2, values, List.copyOf(values.values())));

        // then
        assertThat(row.state()).isEqualTo(RowState.VALID);
        assertThat(row.externalRequestBody()).isNull();
    }

    @Test
    void aDeviceFieldOnTwoLinesIsInvalid() {
        // when
        LedgerRow row = this.processor.process(record("MacBook\nPro", "Laptop", "Germany"));

        // then
        assertThat(row.state()).isEqualTo(RowState.INVALID);
        assertThat(row.errorMessage()).isEqualTo("device_model is on more than one line");
    }

    private static CsvRecord record(String model, String type, String country) {
        Map<Column, String> values = base();
        values.put(Column.DEVICE_MODEL, model);
        values.put(Column.DEVICE_TYPE, type);
        values.put(Column.DEVICE_COUNTRY, country);
        return new CsvRecord(2, values, List.copyOf(values.values()));
    }

    private static Map<Column, String> base() {
        Map<Column, String> values = new LinkedHashMap<>();
        values.put(Column.SERIAL_NUMBER, "EXT-SN-99999");
        values.put(Column.ACTION_TYPE, "Store");
        values.put(Column.CURRENT_USER_NAME, "Ann Lee");
        values.put(Column.CURRENT_USER_EMAIL, "ann@acme.com");
        values.put(Column.WIPE, "yes");
        return values;
    }

}
