package dev.bulkoffboarding.quipteams;

import java.time.Instant;

/**
 * The final result for one row. The decision is data: the caller persists it per row.
 * {@link #attempts()} counts the POSTs this submission made (0 when a reconcile found the action
 * an earlier run had created).
 */
public sealed interface SubmissionResult {

    /** POST requests sent for this row by this submission. */
    int attempts();

    /**
     * The vendor holds the action: row SUBMITTED.
     *
     * @param vendorId the device action's UUID ({@code data.id}); never null
     * @param actionId the human id ({@code data.action_id}); null if absent
     * @param status the vendor's status, e.g. {@code In Progress}
     * @param httpStatus the status of the response that proved it: the POST's 2xx, or the list
     *     call's 200 when {@code reconciled}
     * @param attempts POSTs sent
     * @param reconciled true when an ambiguous attempt was found on the vendor's side by listing
     */
    record Created(String vendorId, String actionId, String status, int httpStatus, int attempts,
            boolean reconciled) implements SubmissionResult {
    }

    /**
     * The vendor said no for this row (a permanent 4xx): row REJECTED, needs a person.
     *
     * @param httpStatus the status, e.g. 404
     * @param code the envelope's {@code error.code}, or the status name when there is no envelope
     * @param message the envelope's {@code error.message} (and details), at most about 500 chars
     * @param attempts POSTs sent
     */
    record Rejected(int httpStatus, String code, String message, int attempts) implements SubmissionResult {
    }

    /**
     * A 2xx came back without the action's id, and the vendor's list does not show the action (or
     * could not be read): row UNCONFIRMED, a person checks the vendor's dashboard. Never resent
     * automatically: the vendor may well hold it.
     *
     * @param httpStatus the 2xx status
     * @param reason what came back and what the lookup found, for people
     * @param attempts POSTs sent
     */
    record Unconfirmed(int httpStatus, String reason, int attempts) implements SubmissionResult {
    }

    /**
     * Transient failures used up every attempt: row FAILED; a restart retries it.
     *
     * @param httpStatus the last response's status; null when there was no response
     * @param reason what went wrong last, for people
     * @param attempts POSTs sent
     * @param unreconciledAttemptAt non-null when the last attempt may have been sent and listing
     *     could not tell whether the vendor created it: a restart must pass it back as
     *     {@link Submission#previousAttemptAt()} so that the row is reconciled before any resend
     */
    record Failed(Integer httpStatus, String reason, int attempts, Instant unreconciledAttemptAt)
            implements SubmissionResult {

        /** A failure after which nothing can exist on the vendor's side. */
        public Failed(Integer httpStatus, String reason, int attempts) {
            this(httpStatus, reason, attempts, null);
        }

    }

}
