package dev.bulkoffboarding.job;

import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.input.Column;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.quipteams.DeviceActionRequest;
import dev.bulkoffboarding.quipteams.ExternalDeviceActionRequest;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.OffboardingRequest;
import dev.bulkoffboarding.rows.Person;
import dev.bulkoffboarding.rows.RawRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import dev.bulkoffboarding.rows.ValidationResult;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Validates one record and turns it into a ledger row: VALID with the exact JSON body that will be
 * sent (for a run; a validation has no use for it), or INVALID with every reason. Invalid rows are data, not exceptions: they are reported, so
 * nothing is skipped silently.
 */
class StagingProcessor implements ItemProcessor<CsvRecord, LedgerRow> {

    private static final List<Column> EXTERNAL_DEVICE_COLUMNS = List.of(Column.DEVICE_MODEL, Column.DEVICE_TYPE,
            Column.DEVICE_COUNTRY);

    /** The longest model, type or country we send (the vendor documents no limit). */
    static final int MAX_DEVICE_FIELD = 200;

    private final long runId;

    private final String idempotencyPrefix;

    private final RowValidator validator;

    private final JsonMapper json;

    private final boolean requestBodies;

    StagingProcessor(long runId, String fileSha256, RowValidator validator, JsonMapper json, boolean requestBodies) {
        this.runId = runId;
        this.idempotencyPrefix = "bulk-offboarding-" + fileSha256.substring(0, 16) + "-" + runId + "-";
        this.validator = validator;
        this.json = json;
        this.requestBodies = requestBodies;
    }

    @Override
    public LedgerRow process(CsvRecord record) {
        ValidationResult result = this.validator.validate(rawRow(record));
        String cells = this.json.writeValueAsString(record.cells());
        List<String> deviceProblems = new ArrayList<>();
        String[] device = externalDevice(record, deviceProblems);
        if (!result.valid() || !deviceProblems.isEmpty()) {
            List<String> problems = new ArrayList<>(result.problems());
            problems.addAll(deviceProblems);
            return LedgerRow.staged(this.runId, record.line(), emptyToNull(result.serialNumber()), result.serialKey(),
                    result.actionType(), RowState.INVALID, null, false, null, cells, null,
                    String.join("; ", problems));
        }
        OffboardingRequest request = result.request();
        String body = null;
        String externalBody = null;
        if (this.requestBodies) {
            DeviceActionRequest wire = wireRequest(request);
            body = this.json.writeValueAsString(wire);
            if (device != null) {
                externalBody = this.json
                    .writeValueAsString(ExternalDeviceActionRequest.of(wire, device[0], device[1], device[2]));
            }
        }
        return LedgerRow.staged(this.runId, record.line(), request.serialNumber(), request.serialKey(),
                request.actionType(), RowState.VALID, request.wipe(), request.newRecipient() != null, body, cells,
                this.idempotencyPrefix + record.line(), null, externalBody);
    }

    /**
     * The device as the row describes it for the external-device endpoint ({@code model, type,
     * country}), or {@code null} when it does not. A row that fills some of the three but not all
     * is a problem only when the file has at least two of these columns: a lone "Description"
     * column is then just a description, and a device the inventory does not know is told what
     * to fill in by its NOT_IN_INVENTORY message.
     */
    static String[] externalDevice(CsvRecord record, List<String> problems) {
        String[] values = { record.get(Column.DEVICE_MODEL), record.get(Column.DEVICE_TYPE),
                record.get(Column.DEVICE_COUNTRY) };
        long columns = EXTERNAL_DEVICE_COLUMNS.stream().filter(record.values()::containsKey).count();
        long filled = java.util.Arrays.stream(values).filter((value) -> !value.isEmpty()).count();
        if (filled == 0) {
            return null;
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String header = EXTERNAL_DEVICE_COLUMNS.get(i).header();
            if (values[i].indexOf('\n') >= 0 || values[i].indexOf('\r') >= 0) {
                found.add(header + " is on more than one line");
            }
            else if (values[i].length() > MAX_DEVICE_FIELD) {
                found.add(header + " is longer than " + MAX_DEVICE_FIELD + " characters");
            }
        }
        if (filled < values.length && columns >= 2) {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i].isEmpty()) {
                    missing.add(EXTERNAL_DEVICE_COLUMNS.get(i).header());
                }
            }
            found.add(String.join(" and ", missing) + ((missing.size() == 1) ? " is" : " are")
                    + " missing: a device sent as an external device (not in the Quipteams inventory) needs "
                    + "device_model, device_type and device_country");
        }
        problems.addAll(found);
        return (filled == values.length && found.isEmpty()) ? values : null;
    }

    static RawRow rawRow(CsvRecord record) {
        return new RawRow(record.line(), record.get(Column.SERIAL_NUMBER), record.get(Column.ACTION_TYPE),
                record.get(Column.CURRENT_USER_NAME), record.get(Column.CURRENT_USER_EMAIL),
                record.get(Column.CURRENT_USER_COUNTRY), record.get(Column.CURRENT_USER_ADDRESS),
                record.get(Column.CURRENT_USER_PHONE), record.get(Column.NEW_RECIPIENT_NAME),
                record.get(Column.NEW_RECIPIENT_EMAIL), record.get(Column.WIPE), record.get(Column.NOTES),
                record.get(Column.NOTIFICATION_EMAILS));
    }

    static DeviceActionRequest wireRequest(OffboardingRequest request) {
        return new DeviceActionRequest(request.actionType(), request.serialNumber(), person(request.currentUser()),
                person(request.newRecipient()), request.wipe(), request.notes(),
                request.notificationEmails().isEmpty() ? null : List.copyOf(request.notificationEmails()));
    }

    private static DeviceActionRequest.Person person(Person person) {
        return (person == null) ? null : new DeviceActionRequest.Person(person.name(), person.email(),
                person.country(), person.address(), person.phone());
    }

    private static String emptyToNull(String value) {
        return (value == null || value.isEmpty()) ? null : value;
    }

}
