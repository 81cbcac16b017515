package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Declares the vendor unavailable after {@code threshold} rows in a row failed transiently (each
 * after its own retries), across all rows of all chunks. Counting rows rather than attempts lets
 * a short burst of 503s, which the per-row retries absorb, pass without stopping the run. Any
 * created or rejected row proves the vendor is answering and resets the streak.
 *
 * <p>Once open, every new attempt fails at once with the same systemic error, until a cool-down
 * has passed or a new run (or a restart) starts sending: the run has stopped by then, and the
 * next one gets a fresh chance.
 */
final class CircuitBreaker {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;

    // guarded by this
    private int streak;
    private Instant streakStartedAt;
    private Instant openedAt;
    private String openReason;

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Throws the systemic failure while the breaker is open. */
    synchronized void ensureClosed() {
        if (openReason == null) {
            return;
        }
        if (clock.instant().isBefore(openedAt.plus(coolDown))) {
            throw new SystemicFailureException(openReason);
        }
        openReason = null;
        openedAt = null;
    }

    /** Closes the breaker and forgets the streak: a new run, or a restart, gets a fresh chance. */
    synchronized void reset() {
        streak = 0;
        streakStartedAt = null;
        openedAt = null;
        openReason = null;
    }

    /** A row was created or rejected: the vendor answers. */
    synchronized void recordAnswer() {
        streak = 0;
        streakStartedAt = null;
    }

    /**
     * A row used up its attempts on transient failures.
     *
     * @param firstFailureAt when that row's first transient failure happened
     * @return the failure that opens the breaker, or null while it stays closed
     */
    synchronized SystemicFailureException recordFailure(Instant firstFailureAt) {
        streak++;
        if (streakStartedAt == null || firstFailureAt.isBefore(streakStartedAt)) {
            streakStartedAt = firstFailureAt;
        }
        if (streak < threshold) {
            return null;
        }
        openedAt = clock.instant();
        openReason = "Quipteams unavailable since " + TIME.format(streakStartedAt) + " (" + streak
                + " consecutive failures)";
        return new SystemicFailureException(openReason);
    }

}
