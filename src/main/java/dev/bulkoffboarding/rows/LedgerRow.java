package dev.bulkoffboarding.rows;

import java.time.Instant;

/** One record of one run, as the ledger holds it. */
public record LedgerRow(long runId, long line, String serialNumber, String serialKey, String actionType,
        RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
        String idempotencyKey, String actionId, String vendorId, String vendorStatus, Integer httpStatus,
        int attempts, String errorCode, String errorMessage, Long relatedRunId, Instant submittingAt,
        Instant finishedAt) {

    /** A freshly staged row. */
    public static LedgerRow staged(long runId, long line, String serialNumber, String serialKey, String actionType,
            RowState state, Boolean wipe, boolean hasRecipient, String requestBody, String sourceCells,
            String idempotencyKey, String errorMessage) {
        return new LedgerRow(runId, line, serialNumber, serialKey, actionType, state, wipe, hasRecipient,
                requestBody, sourceCells, idempotencyKey, null, null, null, null, 0, null, errorMessage, null, null,
                null);
    }

}
