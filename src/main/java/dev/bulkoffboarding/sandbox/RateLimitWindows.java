package dev.bulkoffboarding.sandbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request budgets in fixed one-minute windows, the reading of the vendor's "current
 * window" and single reset instant. A key's window opens with its first request and lasts a
 * minute; requests refused with 429 do not use up budget (the vendor does not say, and this keeps
 * a client that retries too early from starving itself).
 *
 * <p>Optionally a second, real limit behind the advertised one: a token bucket per key, refilled
 * at {@code realRatePerSecond}, that refuses with 429 (its {@code Retry-After} says when the next
 * token comes) requests the headers would allow. That is a vendor whose real limit is lower than
 * its {@code X-RateLimit-Limit}; a client learns it only from the 429s.
 */
final class RateLimitWindows {

    /** What the headers advertise when the budget is unlimited: large enough never to pace a client. */
    static final int UNLIMITED_LIMIT = 1_000_000;

    private static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private volatile int requestsPerMinute;

    private final double realRatePerSecond;

    private final double realBurst;

    RateLimitWindows(Clock clock, int requestsPerMinute) {
        this(clock, requestsPerMinute, 0, 0);
    }

    /**
     * @param realRatePerSecond the real limit's refill rate per key, {@code 0} for none
     * @param realBurst the real limit's capacity, {@code 0} for one second's worth (at least 1)
     */
    RateLimitWindows(Clock clock, int requestsPerMinute, double realRatePerSecond, int realBurst) {
        this.clock = clock;
        this.requestsPerMinute = requestsPerMinute;
        this.realRatePerSecond = realRatePerSecond;
        this.realBurst = (realBurst > 0) ? realBurst : Math.max(1, realRatePerSecond);
    }

    void setRequestsPerMinute(int requestsPerMinute) {
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("requestsPerMinute must not be negative (0 = unlimited)");
        }
        this.requestsPerMinute = requestsPerMinute;
    }

    /** Spends one request of the key's budget if there is any left. */
    Decision tryAcquire(String key) {
        long now = clock.millis();
        int rpm = this.requestsPerMinute;
        int limit = (rpm == 0) ? UNLIMITED_LIMIT : rpm;
        Window window = windows.computeIfAbsent(key, k -> new Window());
        // A lock per key, held for a few arithmetic operations: keys never wait for each other.
        synchronized (window) {
            if (now >= window.end) {
                window.end = now + WINDOW_MILLIS;
                window.used = 0;
            }
            boolean allowed = rpm == 0 || window.used < limit;
            if (allowed && realRatePerSecond > 0) {
                long nextToken = window.takeRealToken(now, realRatePerSecond, realBurst);
                if (nextToken > now) {
                    // refused by the real limit: the advertised budget is not spent
                    return new Decision(false, limit, Math.max(0, limit - window.used), window.end, now, nextToken);
                }
            }
            if (allowed) {
                window.used++;
            }
            return new Decision(allowed, limit, Math.max(0, limit - window.used), window.end, now);
        }
    }

    /**
     * The key's budget without spending any, for responses that are refused before the budget is
     * consulted (401, 503): the headers are on every response.
     */
    Decision peek(String key) {
        long now = clock.millis();
        int rpm = this.requestsPerMinute;
        int limit = (rpm == 0) ? UNLIMITED_LIMIT : rpm;
        Window window = (key != null) ? windows.get(key) : null;
        if (window == null) {
            return new Decision(true, limit, limit, now + WINDOW_MILLIS, now);
        }
        synchronized (window) {
            if (now >= window.end) {
                return new Decision(true, limit, limit, now + WINDOW_MILLIS, now);
            }
            return new Decision(true, limit, Math.max(0, limit - window.used), window.end, now);
        }
    }

    void clear() {
        windows.clear();
    }

    /**
     * The outcome for one request and the state of its window.
     *
     * @param allowed whether the request fits in the budget
     * @param limit requests allowed in the window
     * @param remaining requests left in the window after this one
     * @param resetEpochMillis when the window ends, Unix time in milliseconds
     * @param nowEpochMillis when the decision was taken
     * @param retryAtEpochMillis when a refused request may be tried again: the window's end, or the
     *     real limit's next token
     */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochMillis, long nowEpochMillis,
            long retryAtEpochMillis) {

        Decision(boolean allowed, int limit, int remaining, long resetEpochMillis, long nowEpochMillis) {
            this(allowed, limit, remaining, resetEpochMillis, nowEpochMillis, resetEpochMillis);
        }

        /** Whole seconds until a retry may succeed, rounded up and at least one, for {@code Retry-After}. */
        long retryAfterSeconds() {
            long millis = Math.max(0, retryAtEpochMillis - nowEpochMillis);
            return Math.max(1, (millis + 999) / 1000);
        }

        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-RateLimit-Limit", Integer.toString(limit));
            headers.put("X-RateLimit-Remaining", Integer.toString(remaining));
            headers.put("X-RateLimit-Reset", Long.toString(resetEpochMillis));
            return headers;
        }

    }

    private static final class Window {

        /** Epoch millis at which the window ends; 0 means no window is open yet. */
        long end;

        int used;

        /** The real limit's tokens, as of {@code refilledAt}; NaN until the key's first request. */
        double tokens = Double.NaN;

        long refilledAt;

        /**
         * Takes one token of the real limit if there is one and returns {@code now}; otherwise
         * takes nothing and returns when the next token comes.
         */
        long takeRealToken(long now, double ratePerSecond, double burst) {
            if (Double.isNaN(tokens)) {
                tokens = burst;
            }
            else if (now > refilledAt) {
                tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerSecond / 1000.0);
            }
            refilledAt = Math.max(refilledAt, now);
            if (tokens >= 1) {
                tokens -= 1;
                return now;
            }
            return now + (long) Math.ceil((1 - tokens) * 1000.0 / ratePerSecond);
        }

    }

}
