package dev.bulkoffboarding.quipteams;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One row to submit.
 *
 * @param idempotencyKey deterministic per row (run id and line number), sent as
 *     {@code Idempotency-Key}; the vendor does not document it, so correctness does not rely on it
 * @param serialNumber the serial as sent, used to reconcile
 * @param actionType the action type as sent, used to reconcile
 * @param body the JSON of a {@link DeviceActionRequest}, sent byte for byte
 * @param previousAttemptAt when an earlier attempt may have been sent (a row found SUBMITTING
 *     after a crash, or a FAILED row whose last attempt could not be reconciled); non-null means
 *     "reconcile before sending", null means "never sent"
 * @param knownVendorIds ids of device actions for this device and action type that are already
 *     accounted for (recorded for other rows, for example by an earlier run): reconciliation never
 *     takes one of them for this row's action
 * @param lastSentAt when an earlier submission last let this row's request go (the ledger's
 *     write-ahead record), or null; reconciling waits until this plus the response timeout and the
 *     settle delay, since the vendor may still create the action until then
 * @param external whether the device is not in the company's inventory: the body is then the
 *     external-device request and goes to {@code POST /api/v1/device-actions/external}
 */
public record Submission(String idempotencyKey, String serialNumber, String actionType, String body,
        Instant previousAttemptAt, Set<String> knownVendorIds, Instant lastSentAt, boolean external) {

    public Submission {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(body, "body");
        knownVendorIds = (knownVendorIds == null) ? Set.of() : Set.copyOf(knownVendorIds);
    }

    public Submission(String idempotencyKey, String serialNumber, String actionType, String body,
            Instant previousAttemptAt, Set<String> knownVendorIds, Instant lastSentAt) {
        this(idempotencyKey, serialNumber, actionType, body, previousAttemptAt, knownVendorIds, lastSentAt, false);
    }

    public Submission(String idempotencyKey, String serialNumber, String actionType, String body,
            Instant previousAttemptAt, Set<String> knownVendorIds) {
        this(idempotencyKey, serialNumber, actionType, body, previousAttemptAt, knownVendorIds, null);
    }

    public Submission(String idempotencyKey, String serialNumber, String actionType, String body,
            Instant previousAttemptAt) {
        this(idempotencyKey, serialNumber, actionType, body, previousAttemptAt, Set.of());
    }

    /**
     * The row as the person who wrote the file knows it, for log lines: {@code line 64, serial C02…}.
     * The line is the idempotency key's last part (the job makes it {@code …-<run>-<line>}).
     */
    public String row() {
        int dash = this.idempotencyKey.lastIndexOf('-');
        String tail = (dash < 0) ? "" : this.idempotencyKey.substring(dash + 1);
        boolean line = !tail.isEmpty() && tail.chars().allMatch(Character::isDigit);
        return (line ? "line " + tail + ", " : "") + "serial " + this.serialNumber.strip();
    }

    /** A row that has never been sent. */
    public static Submission firstAttempt(String idempotencyKey, String serialNumber, String actionType,
            String body) {
        return new Submission(idempotencyKey, serialNumber, actionType, body, null);
    }

}
