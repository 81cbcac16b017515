package dev.bulkoffboarding.rows;

/**
 * Where a CSV record stands. Every record ends in exactly one final state; only {@link #VALID},
 * {@link #SUBMITTING} and {@link #FAILED} rows are (re)considered for sending.
 */
public enum RowState {

    /** Failed validation or a whole-file check; never sent. */
    INVALID,
    /** Same device and action as an earlier line of the same file; never sent. */
    DUPLICATE,
    /** The same device and action were submitted by an earlier run within the de-duplication window. */
    ALREADY_SUBMITTED,
    /** Passed every check; waiting to be sent. */
    VALID,
    /** Committed before the request leaves: after a crash the row is reconciled, never blindly resent. */
    SUBMITTING,
    /** The vendor created the action; its id is recorded. */
    SUBMITTED,
    /** The vendor answered with a permanent error for this row. */
    REJECTED,
    /** Transient errors exhausted the attempts; a restart tries again (after reconciling). */
    FAILED;

    /** Rows that need a person to look at them (they are in failures.csv). */
    public boolean needsAttention() {
        return this == INVALID || this == DUPLICATE || this == REJECTED;
    }

    /** Rows that a restart still has to work on. */
    public boolean isPending() {
        return this == VALID || this == SUBMITTING || this == FAILED;
    }

}
