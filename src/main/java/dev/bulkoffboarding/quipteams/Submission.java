package dev.bulkoffboarding.quipteams;

import java.time.Instant;
import java.util.Objects;

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
 */
public record Submission(String idempotencyKey, String serialNumber, String actionType, String body,
        Instant previousAttemptAt) {

    public Submission {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(body, "body");
    }

    /** A row that has never been sent. */
    public static Submission firstAttempt(String idempotencyKey, String serialNumber, String actionType,
            String body) {
        return new Submission(idempotencyKey, serialNumber, actionType, body, null);
    }

}
