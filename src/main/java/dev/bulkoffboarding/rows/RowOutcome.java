package dev.bulkoffboarding.rows;

/**
 * The result of sending one row, to be written to the ledger. {@code state} is SUBMITTED, REJECTED,
 * UNCONFIRMED or FAILED (HELD and ALREADY_SUBMITTED are decided before sending, by the device's claim).
 */
public record RowOutcome(long line, RowState state, String vendorId, String actionId, String vendorStatus,
        Integer httpStatus, int attempts, String errorCode, String errorMessage) {
}
