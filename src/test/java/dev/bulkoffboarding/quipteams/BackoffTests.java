package dev.bulkoffboarding.quipteams;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    @Test
    void ceilingDoublesPerRetryUpToTheMaximum() {
        // given
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.5);

        // when / then
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.ceiling(500)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void delayIsTheCeilingScaledByAUniformRandomFraction() {
        // given
        Backoff none = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
        Backoff half = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.5);
        Backoff almostAll = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999);

        // when / then: full jitter ranges over [0, ceiling)
        assertThat(none.delay(3)).isEqualTo(Duration.ZERO);
        assertThat(half.delay(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(almostAll.delay(3)).isLessThan(Duration.ofSeconds(4)).isGreaterThan(Duration.ofMillis(3990));
        assertThat(almostAll.delay(50)).isLessThan(Duration.ofSeconds(30)).isGreaterThan(Duration.ofMillis(29_900));
    }

}
