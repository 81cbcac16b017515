package dev.bulkoffboarding.quipteams;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpHeaders;

/**
 * Reads the vendor's rate-limit headers defensively: a malformed header must never turn into a
 * wait of fifty years, nor into no wait at all when the vendor asked for one.
 */
final class RateLimitHeaders {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";
    static final String RETRY_AFTER = "Retry-After";

    /**
     * Below this a "Unix milliseconds" reset is really seconds or a delta: 10^12 ms is September
     * 2001, while epoch seconds stay below it until the year 33658.
     */
    private static final long SMALLEST_PLAUSIBLE_EPOCH_MILLIS = 1_000_000_000_000L;

    /** A per-minute window never resets a day from now; such a value is a bug, not a request. */
    private static final Duration FURTHEST_PLAUSIBLE_RESET = Duration.ofDays(1);

    /** Keeps absurd Retry-After seconds from overflowing; anything this long is over any cap. */
    private static final long LONGEST_RETRY_AFTER_SECONDS = Duration.ofDays(3650).toSeconds();

    private RateLimitHeaders() {
    }

    /**
     * When a 429 says we may retry: {@code Retry-After} as delta-seconds or as an HTTP date; null
     * when absent or unreadable. A date in the past means "now".
     */
    static Instant retryAt(HttpHeaders headers, Instant now) {
        String value = headers.getFirst(RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            long seconds = (value.length() > 12) ? LONGEST_RETRY_AFTER_SECONDS
                    : Math.min(Long.parseLong(value), LONGEST_RETRY_AFTER_SECONDS);
            return now.plusSeconds(seconds);
        }
        try {
            Instant date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return date.isBefore(now) ? now : date;
        }
        catch (DateTimeParseException notADate) {
            return null;
        }
    }

    /**
     * When the current window resets ({@code X-RateLimit-Reset}, Unix milliseconds); null when
     * absent, unreadable or implausible (seconds, or more than a day ahead).
     */
    static Instant resetAt(HttpHeaders headers, Instant now) {
        Long millis = nonNegativeLong(headers, RESET);
        if (millis == null || millis < SMALLEST_PLAUSIBLE_EPOCH_MILLIS) {
            return null;
        }
        Instant reset = Instant.ofEpochMilli(millis);
        return reset.isAfter(now.plus(FURTHEST_PLAUSIBLE_RESET)) ? null : reset;
    }

    /** A header holding a non-negative integer; null when absent or anything else. */
    static Long nonNegativeLong(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        if (value == null) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            return (parsed < 0) ? null : parsed;
        }
        catch (NumberFormatException notANumber) {
            return null;
        }
    }

}
