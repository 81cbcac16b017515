package dev.bulkoffboarding.quipteams;

/**
 * A vendor call that failed in a way worth retrying later (used by the list call; creates are
 * classified into {@link AttemptOutcome}s instead). Never carries the API key.
 */
public class QuipteamsCallException extends RuntimeException {

    private final Integer httpStatus;

    public QuipteamsCallException(Integer httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** The response status, or null when there was no response. */
    public Integer httpStatus() {
        return httpStatus;
    }

}
