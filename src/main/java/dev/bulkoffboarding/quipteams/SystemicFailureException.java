package dev.bulkoffboarding.quipteams;

/**
 * A failure that no row can get past, so the run must stop now (and a restart resumes it): the API
 * key was rejected (401/403), the vendor is unavailable (circuit open), or a rate-limit wait exceeds
 * {@code quipteams.max-rate-limit-wait}. It never carries the API key.
 */
public class SystemicFailureException extends RuntimeException {

    private final String reason;

    public SystemicFailureException(String reason) {
        super(reason);
        this.reason = reason;
    }

    public SystemicFailureException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** The message for people, e.g. "API key rejected (401 UNAUTHORIZED): check QUIPTEAMS_API_KEY". */
    public String reason() {
        return reason;
    }

}
