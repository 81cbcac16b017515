package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.time.Duration;

import dev.bulkoffboarding.support.FakeApiKeys;

/** Builds {@link QuipteamsProperties} for tests: production defaults, but delays in milliseconds. */
final class TestProperties {

    /** A live-shaped key made when the tests start (nothing key-like is committed). */
    static final String SECRET_KEY = FakeApiKeys.live();

    URI baseUrl = URI.create("https://api.quipteams.com");
    String apiKey = SECRET_KEY;
    Integer requestsPerMinute = 60_000;
    int initialRequestsPerMinute = 60_000;
    int burst = 0;
    int maxInFlight = 4;
    Duration connectTimeout = Duration.ofSeconds(2);
    Duration responseTimeout = Duration.ofSeconds(5);
    int maxAttempts = 3;
    Duration initialBackoff = Duration.ofMillis(1);
    Duration maxBackoff = Duration.ofMillis(5);
    Duration settleDelay = Duration.ofMillis(1);
    Duration reconcileClockSkew = Duration.ofMinutes(10);
    Duration maxRateLimitWait = Duration.ofSeconds(10);
    int circuitBreakerThreshold = 20;

    static TestProperties fast() {
        return new TestProperties();
    }

    TestProperties baseUrl(URI baseUrl) {
        this.baseUrl = baseUrl;
        return this;
    }

    TestProperties requestsPerMinute(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
        return this;
    }

    /** No cap: the pace follows the vendor's {@code X-RateLimit-Limit}. */
    TestProperties followTheVendor() {
        this.requestsPerMinute = null;
        return this;
    }

    TestProperties initialRequestsPerMinute(int initialRequestsPerMinute) {
        this.initialRequestsPerMinute = initialRequestsPerMinute;
        return this;
    }

    TestProperties burst(int burst) {
        this.burst = burst;
        return this;
    }

    TestProperties maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    TestProperties responseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
        return this;
    }

    TestProperties maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    TestProperties backoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    TestProperties settleDelay(Duration settleDelay) {
        this.settleDelay = settleDelay;
        return this;
    }

    TestProperties maxRateLimitWait(Duration maxRateLimitWait) {
        this.maxRateLimitWait = maxRateLimitWait;
        return this;
    }

    TestProperties circuitBreakerThreshold(int circuitBreakerThreshold) {
        this.circuitBreakerThreshold = circuitBreakerThreshold;
        return this;
    }

    QuipteamsProperties build() {
        return new QuipteamsProperties(baseUrl, apiKey, requestsPerMinute, initialRequestsPerMinute, burst, maxInFlight, connectTimeout,
                responseTimeout, maxAttempts, initialBackoff, maxBackoff, settleDelay, reconcileClockSkew,
                maxRateLimitWait, circuitBreakerThreshold);
    }

}
