package dev.bulkoffboarding.rows;

import java.time.Instant;

/**
 * One record of one run, as the ledger holds it.
 *
 * @param externalDevice whether the device is sent to the external-device endpoint (the vendor's
 *     inventory does not know it, and the row describes it)
 * @param notice a warning that does not stop the row (the inventory names another holder)
 * @param externalRequestBody the external-device request, when the row describes its device (model,
 *     type, country); sent only if the vendor's inventory does not know the serial
 */
public record LedgerRow(long runId, long line, String serialNumber, String serialKey, String actionType,
        RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
        String idempotencyKey, String actionId, String vendorId, String vendorStatus, Integer httpStatus,
        int attempts, String errorCode, String errorMessage, Long relatedRunId, Instant submittingAt,
        Instant finishedAt, boolean externalDevice, String notice, String externalRequestBody) {

    /** A row sent to the inventory endpoint, without a notice. */
    public LedgerRow(long runId, long line, String serialNumber, String serialKey, String actionType,
            RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
            String idempotencyKey, String actionId, String vendorId, String vendorStatus, Integer httpStatus,
            int attempts, String errorCode, String errorMessage, Long relatedRunId, Instant submittingAt,
            Instant finishedAt) {
        this(runId, line, serialNumber, serialKey, actionType, state, wipe, hasRecipient, requestBody, sourceCells,
                idempotencyKey, actionId, vendorId, vendorStatus, httpStatus, attempts, errorCode, errorMessage,
                relatedRunId, submittingAt, finishedAt, false, null, null);
    }

    /** A freshly staged row. */
    public static LedgerRow staged(long runId, long line, String serialNumber, String serialKey, String actionType,
            RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
            String idempotencyKey, String errorMessage) {
        return staged(runId, line, serialNumber, serialKey, actionType, state, wipe, hasRecipient, requestBody,
                sourceCells, idempotencyKey, errorMessage, null);
    }

    /** A freshly staged row that describes its device for the external-device endpoint. */
    public static LedgerRow staged(long runId, long line, String serialNumber, String serialKey, String actionType,
            RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
            String idempotencyKey, String errorMessage, String externalRequestBody) {
        return new LedgerRow(runId, line, serialNumber, serialKey, actionType, state, wipe, hasRecipient,
                requestBody, sourceCells, idempotencyKey, null, null, null, null, 0, null, errorMessage, null, null,
                null, false, null, externalRequestBody);
    }

}
