package dev.bulkoffboarding.quipteams;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th retry (from 0) waits a uniformly random time
 * between 0 and {@code min(max, initial * 2^n)}. Full jitter spreads the retries of many rows
 * that failed together, instead of sending them back in synchronised waves.
 */
final class Backoff {

    /** 2^30 times any sane initial backoff is beyond any sane cap; avoids overflow. */
    private static final int MAX_EXPONENT = 30;

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /**
     * @param random uniform values in [0, 1)
     */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The upper bound of the wait before retry number {@code retry} (0 for the first retry). */
    Duration ceiling(int retry) {
        int exponent = Math.min(Math.max(retry, 0), MAX_EXPONENT);
        long nanos = initial.toNanos();
        long ceiling = (nanos > (Long.MAX_VALUE >> exponent)) ? Long.MAX_VALUE : nanos << exponent;
        return Duration.ofNanos(Math.min(ceiling, max.toNanos()));
    }

    /** A random wait in [0, ceiling(retry)). */
    Duration delay(int retry) {
        double fraction = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofNanos((long) (ceiling(retry).toNanos() * fraction));
    }

}
