package dev.bulkoffboarding.quipteams;

import java.time.Instant;

/**
 * Write-ahead record of a send: told that a row's request is about to leave, after the pacer let it
 * go and before its first byte is written. Whatever it stores must be durable when it returns: a
 * restart reads it to know that the request may have reached the vendor, and when.
 */
@FunctionalInterface
public interface SendRecorder {

    /** Records nothing (callers that keep no ledger). */
    SendRecorder NONE = (submission, at) -> {
    };

    /**
     * Runs on a thread where blocking is fine. If it throws, the request is not sent and the run
     * stops: sending without the record would make a restart resend blindly.
     *
     * @param submission the row being sent
     * @param at when the request was let go (the record is taken just before it leaves)
     */
    void recordSend(Submission submission, Instant at);

}
