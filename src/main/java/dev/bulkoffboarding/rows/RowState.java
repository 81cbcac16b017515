package dev.bulkoffboarding.rows;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

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
    FAILED,
    /**
     * Not sent: another run holds this device's claim and has not finished with it. A restart
     * tries again once that run is done (or a person released its claim).
     */
    HELD,
    /**
     * The vendor answered 2xx without the action's id and its list does not show the action: a
     * person checks the vendor's dashboard. Never resent automatically.
     */
    UNCONFIRMED,
    /**
     * The vendor's inventory does not know the serial (looked up with every status) and the row
     * does not describe the device for the external-device endpoint; never sent.
     */
    NOT_IN_INVENTORY,
    /**
     * The vendor already has an open action of this type for the device that no run of ours
     * created (someone made it in the vendor's dashboard, say); never sent.
     */
    OPEN_ACTION_EXISTS;

    /** The states of rows that need a person to look at them (they are in failures.csv). */
    public static final Set<RowState> NEEDING_ATTENTION = Collections
        .unmodifiableSet(EnumSet.of(INVALID, DUPLICATE, REJECTED, UNCONFIRMED, NOT_IN_INVENTORY, OPEN_ACTION_EXISTS));

    /** The states of rows that a restart still has to work on. */
    public static final Set<RowState> PENDING = Collections
        .unmodifiableSet(EnumSet.of(VALID, SUBMITTING, FAILED, HELD));

    /** Rows that need a person to look at them (they are in failures.csv). */
    public boolean needsAttention() {
        return NEEDING_ATTENTION.contains(this);
    }

    /** Rows that a restart still has to work on. */
    public boolean isPending() {
        return PENDING.contains(this);
    }

    /** {@code 'A', 'B'}: the names of these states for a SQL {@code in (...)} list. */
    public static String sqlList(Set<RowState> states) {
        return String.join(", ", states.stream().map((state) -> "'" + state.name() + "'").toList());
    }

}
