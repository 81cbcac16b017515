package dev.bulkoffboarding.quipteams;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeadersTests {

    private static final Instant NOW = Instant.parse("2026-03-07T10:00:00Z");

    @Test
    void readsTheResetAsUnixMilliseconds() {
        // given
        HttpHeaders headers = headers("X-RateLimit-Reset", String.valueOf(NOW.plusMillis(12_345).toEpochMilli()));

        // when / then
        assertThat(RateLimitHeaders.resetAt(headers, NOW)).isEqualTo(NOW.plusMillis(12_345));
    }

    @Test
    void ignoresAResetInSecondsOrFarInTheFutureOrUnreadable() {
        // given
        HttpHeaders seconds = headers("X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(30).getEpochSecond()));
        HttpHeaders farFuture = headers("X-RateLimit-Reset", String.valueOf(NOW.plus(Duration.ofDays(3)).toEpochMilli()));
        HttpHeaders garbage = headers("X-RateLimit-Reset", "tomorrow");
        HttpHeaders negative = headers("X-RateLimit-Reset", "-5");

        // when / then
        assertThat(RateLimitHeaders.resetAt(seconds, NOW)).isNull();
        assertThat(RateLimitHeaders.resetAt(farFuture, NOW)).isNull();
        assertThat(RateLimitHeaders.resetAt(garbage, NOW)).isNull();
        assertThat(RateLimitHeaders.resetAt(negative, NOW)).isNull();
        assertThat(RateLimitHeaders.resetAt(new HttpHeaders(), NOW)).isNull();
    }

    @Test
    void retryAfterInThePastMeansNow() {
        // given
        HttpHeaders headers = headers("Retry-After", "Sat, 07 Mar 2026 09:00:00 GMT");

        // when / then
        assertThat(RateLimitHeaders.retryAt(headers, NOW)).isEqualTo(NOW);
    }

    @Test
    void absurdRetryAfterSecondsDoNotOverflow() {
        // given
        HttpHeaders headers = headers("Retry-After", "99999999999999999999999");

        // when
        Instant retryAt = RateLimitHeaders.retryAt(headers, NOW);

        // then: a very long wait, which the pacer will refuse as above its cap
        assertThat(retryAt).isAfter(NOW.plus(Duration.ofDays(365)));
    }

    private static HttpHeaders headers(String name, String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, value);
        return headers;
    }

}
