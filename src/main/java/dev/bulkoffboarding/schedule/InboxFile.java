package dev.bulkoffboarding.schedule;

import java.time.Instant;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What happened to one file dropped in the inbox.
 *
 * @param id its number in the inbox log
 * @param fileName the name it had in the inbox
 * @param sha256 its content's SHA-256 (the run's identity)
 * @param currentPath where it is now
 * @param outcome what became of it
 * @param runId the run it became, or the completed run it repeats
 * @param message why, in the operator's words
 * @param receivedAt when it was taken
 * @param finishedAt when its outcome was decided
 * @param processedBy the instance that took it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InboxFile(long id, String fileName, String sha256, String currentPath, Outcome outcome, Long runId,
        String message, Instant receivedAt, Instant finishedAt, String processedBy) {

    /** What became of an inbox file. */
    public enum Outcome {

        /** Its run is going on. */
        PROCESSING,
        /** Its run completed; the file is in {@code archive/}. */
        ARCHIVED,
        /** Its run failed or stopped; the file is in {@code failed/} until a restart completes it. */
        FAILED,
        /** Identical to a file whose run completed: not run again; the file is in {@code archive/}. */
        DUPLICATE,
        /** Not a file we can run (unreadable, missing column, refused); the file is in {@code failed/}. */
        REJECTED

    }

}
