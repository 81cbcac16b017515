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
 */
final class RateLimitWindows {

    /** What the headers advertise when the budget is unlimited: large enough never to pace a client. */
    static final int UNLIMITED_LIMIT = 1_000_000;

    private static final long WINDOW_MILLIS = 60_000;

    private final Clock clock;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private volatile int requestsPerMinute;

    RateLimitWindows(Clock clock, int requestsPerMinute) {
        this.clock = clock;
        this.requestsPerMinute = requestsPerMinute;
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
     */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochMillis, long nowEpochMillis) {

        /** Whole seconds until the window ends, rounded up and at least one, for {@code Retry-After}. */
        long retryAfterSeconds() {
            long millis = Math.max(0, resetEpochMillis - nowEpochMillis);
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

    }

}
