package dev.bulkoffboarding.job;

/**
 * A systemic failure that stops a run (the API key was rejected, Quipteams is unavailable, too many
 * rows were rejected). The run stays restartable; its message is what the operator reads, and it
 * never contains the API key.
 */
public class RunStoppedException extends RuntimeException {

    public RunStoppedException(String message, Throwable cause) {
        super(message, cause);
    }

}
