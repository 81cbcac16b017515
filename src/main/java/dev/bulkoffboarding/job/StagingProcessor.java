package dev.bulkoffboarding.job;

import java.util.List;

import dev.bulkoffboarding.input.Column;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.quipteams.DeviceActionRequest;
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
        if (!result.valid()) {
            return LedgerRow.staged(this.runId, record.line(), emptyToNull(result.serialNumber()), result.serialKey(),
                    result.actionType(), RowState.INVALID, null, false, null, cells, null,
                    String.join("; ", result.problems()));
        }
        OffboardingRequest request = result.request();
        String body = this.requestBodies ? this.json.writeValueAsString(wireRequest(request)) : null;
        return LedgerRow.staged(this.runId, record.line(), request.serialNumber(), request.serialKey(),
                request.actionType(), RowState.VALID, request.wipe(), request.newRecipient() != null, body, cells,
                this.idempotencyPrefix + record.line(), null);
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
