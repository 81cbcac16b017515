package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Quipteams client, bound from {@code quipteams.*}.
 *
 * @param baseUrl where the vendor API lives
 * @param apiKey the API key; may be null or blank, then the application uses its sandbox
 * @param requestsPerMinute an optional cap on our pace per API key, for a key shared with other
 *     tools; null (the default) follows the vendor's {@code X-RateLimit-Limit} up and down
 * @param initialRequestsPerMinute the pace before the vendor's first {@code X-RateLimit-Limit}
 *     (and for a vendor that never sends one), at most {@code requestsPerMinute}
 * @param burst token-bucket capacity; 0 derives it from the rate and {@code maxInFlight}; never
 *     more than a minute's budget
 * @param maxInFlight requests in flight at once (Little's law: rate x latency)
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout longest silence while waiting for a response
 * @param maxAttempts POSTs per row at most
 * @param initialBackoff first backoff before a retry; doubles per retry (full jitter)
 * @param maxBackoff upper bound of one backoff; also the circuit breaker's cool-down
 * @param settleDelay how long after a send's response timeout the vendor's list is trusted to show
 *     what that send created: at least how much later than the timeout the vendor may create an
 *     action, plus how far its list lags behind creation
 * @param reconcileClockSkew reconcile looks for actions created after the attempt minus this
 * @param maxRateLimitWait a rate-limit wait longer than this stops the run (systemic)
 * @param circuitBreakerThreshold rows in a row that failed transiently (after their own
 *     retries) before the vendor is declared unavailable
 */
@ConfigurationProperties("quipteams")
public record QuipteamsProperties(
        @DefaultValue("https://api.quipteams.com") URI baseUrl,
        String apiKey,
        Integer requestsPerMinute,
        @DefaultValue("600") int initialRequestsPerMinute,
        @DefaultValue("0") int burst,
        @DefaultValue("32") int maxInFlight,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration responseTimeout,
        @DefaultValue("6") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("30s") Duration settleDelay,
        @DefaultValue("10m") Duration reconcileClockSkew,
        @DefaultValue("5m") Duration maxRateLimitWait,
        @DefaultValue("20") int circuitBreakerThreshold) {

    public QuipteamsProperties {
        Objects.requireNonNull(baseUrl, "quipteams.base-url is required");
        if (requestsPerMinute != null) {
            requirePositive(requestsPerMinute, "requests-per-minute");
        }
        requirePositive(initialRequestsPerMinute, "initial-requests-per-minute");
        requirePositive(maxInFlight, "max-in-flight");
        requirePositive(maxAttempts, "max-attempts");
        requirePositive(circuitBreakerThreshold, "circuit-breaker-threshold");
        if (burst < 0) {
            throw new IllegalArgumentException("quipteams.burst must be 0 (derive) or positive, was " + burst);
        }
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(responseTimeout, "response-timeout");
        requireNotNegative(initialBackoff, "initial-backoff");
        requireNotNegative(maxBackoff, "max-backoff");
        requireNotNegative(settleDelay, "settle-delay");
        requireNotNegative(reconcileClockSkew, "reconcile-clock-skew");
        requireNotNegative(maxRateLimitWait, "max-rate-limit-wait");
    }

    /** True when a key is configured; otherwise the application falls back to its sandbox. */
    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /**
     * The pace before the vendor has said anything: {@code initialRequestsPerMinute}, within the
     * cap.
     */
    int startRequestsPerMinute() {
        return (requestsPerMinute != null) ? Math.min(requestsPerMinute, initialRequestsPerMinute)
                : initialRequestsPerMinute;
    }

    /**
     * The pace allowed when the vendor advertises {@code vendorLimit} requests per minute: its
     * limit, or the cap if that is lower.
     */
    int ceilingFor(long vendorLimit) {
        long ceiling = (requestsPerMinute != null) ? Math.min(requestsPerMinute, vendorLimit) : vendorLimit;
        return (int) Math.max(1, Math.min(ceiling, Integer.MAX_VALUE));
    }

    /**
     * The token-bucket capacity at a given rate: the configured burst, or two seconds' worth but no
     * more than {@code maxInFlight}; never more than a minute's budget, so that a burst cannot spend
     * more than the vendor allows (a key with 20 per minute gets 1 at once, not 20 or 32).
     */
    int bucketCapacity(int ratePerMinute) {
        int minuteBudget = Math.max(1, ratePerMinute);
        if (burst > 0) {
            return Math.min(burst, minuteBudget);
        }
        return Math.max(1, Math.min(maxInFlight, ratePerMinute / 30));
    }

    /** Masks the key: properties end up in logs and failure analyses. */
    @Override
    public String toString() {
        return "QuipteamsProperties[baseUrl=" + baseUrl + ", apiKey=" + (hasApiKey() ? ApiKey.mask(apiKey) : "<none>")
                + ", requestsPerMinute=" + requestsPerMinute + ", initialRequestsPerMinute=" + initialRequestsPerMinute
                + ", burst=" + burst + ", maxInFlight=" + maxInFlight
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", settleDelay=" + settleDelay + ", reconcileClockSkew=" + reconcileClockSkew
                + ", maxRateLimitWait=" + maxRateLimitWait + ", circuitBreakerThreshold=" + circuitBreakerThreshold + "]";
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException("quipteams." + name + " must be positive, was " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, "quipteams." + name + " is required");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("quipteams." + name + " must be positive, was " + value);
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, "quipteams." + name + " is required");
        if (value.isNegative()) {
            throw new IllegalArgumentException("quipteams." + name + " must not be negative, was " + value);
        }
    }

}
