package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestPacerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Clock clock = Clock.systemUTC();

    @Test
    void lowersItsRateToTheVendorLimitButNeverRaisesItAboveTheConfiguredOne() {
        // given
        RequestPacer pacer = pacer(TestProperties.fast().requestsPerMinute(600));

        // when
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "120"));
        int lowered = pacer.effectiveRatePerMinute();
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "5000"));
        int capped = pacer.effectiveRatePerMinute();

        // then
        assertThat(lowered).isEqualTo(120);
        assertThat(capped).isEqualTo(600);
    }

    @Test
    void spacesRequestsEvenlyOnceTheBurstIsSpent() {
        // given: 600 per minute is one every 100 ms; a burst of one
        RequestPacer pacer = pacer(TestProperties.fast().requestsPerMinute(600).burst(1));

        // when
        List<Instant> granted = Flux.range(0, 6)
                .concatMap(i -> pacer.acquire().then(Mono.fromSupplier(clock::instant)))
                .collectList()
                .block(TIMEOUT);

        // then: after the first permit, at most one more can come from the bucket's content (its
        // capacity plus the fraction of a token Bucket4j keeps); the other four need a refill each
        assertThat(Duration.between(granted.get(0), granted.get(5))).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        assertThat(pacer.totalWaitTime()).isGreaterThanOrEqualTo(Duration.ofMillis(390));
    }

    @Test
    void holdsRequestsUntilTheWindowResetsWhenNothingRemains() {
        // given
        RequestPacer pacer = pacer(TestProperties.fast());
        Instant reset = Instant.ofEpochMilli(clock.instant().plusMillis(300).toEpochMilli());
        pacer.onResponseHeaders(headers("X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                String.valueOf(reset.toEpochMilli())));

        // when
        Instant granted = pacer.acquire().then(Mono.fromSupplier(clock::instant)).block(TIMEOUT);

        // then
        assertThat(granted).isAfterOrEqualTo(reset);
    }

    @Test
    void countsTheRequestsInFlightAgainstWhatRemains() {
        // given: two requests hold permits; the first to answer says 2 remain, one of them its own
        // sibling's, so only one more may start before the window resets
        RequestPacer pacer = pacer(TestProperties.fast());
        Instant reset = Instant.ofEpochMilli(clock.instant().plusMillis(400).toEpochMilli());
        Mono<Void> stillInFlight = Mono.never();
        pacer.paced(() -> stillInFlight).subscribe();
        pacer.paced(() -> Mono.fromRunnable(() -> pacer.onResponseHeaders(headers("X-RateLimit-Remaining", "2",
                "X-RateLimit-Reset", String.valueOf(reset.toEpochMilli()))))).block(TIMEOUT);

        // when
        List<Instant> granted = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            granted.add(pacer.acquire().then(Mono.fromSupplier(clock::instant)).block(TIMEOUT));
        }

        // then
        assertThat(granted.get(0)).isBefore(reset);
        assertThat(granted.get(1)).isAfterOrEqualTo(reset);
    }

    @Test
    void ignoresAResetThatIsNotUnixMilliseconds() {
        // given: a reset in seconds, read as milliseconds, would be 1970; read as seconds, a wait
        RequestPacer pacer = pacer(TestProperties.fast().maxRateLimitWait(Duration.ofSeconds(1)));
        long inSeconds = clock.instant().plusSeconds(30).getEpochSecond();
        long farFuture = clock.instant().plus(Duration.ofDays(30)).toEpochMilli();

        // when
        pacer.onResponseHeaders(headers("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", String.valueOf(inSeconds)));
        Mono<Void> afterSeconds = pacer.acquire();
        pacer.onResponseHeaders(headers("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", String.valueOf(farFuture)));
        Mono<Void> afterFarFuture = pacer.acquire();

        // then: neither becomes a wait, which would exceed the one-second cap and fail
        afterSeconds.block(TIMEOUT);
        afterFarFuture.block(TIMEOUT);
    }

    @Test
    void pauseHoldsEveryRequestUntilItEnds() {
        // given
        RequestPacer pacer = pacer(TestProperties.fast());
        Instant until = clock.instant().plusMillis(300);

        // when
        pacer.pauseUntil(until);
        List<Instant> granted = Flux.range(0, 3)
                .flatMap(i -> pacer.acquire().then(Mono.fromSupplier(clock::instant)))
                .collectList()
                .block(TIMEOUT);

        // then
        assertThat(granted).allSatisfy(instant -> assertThat(instant).isAfterOrEqualTo(until));
        assertThat(pacer.pausedUntil()).isEqualTo(until);
    }

    @Test
    void aPauseNeverShortensAnotherOne() {
        // given
        RequestPacer pacer = pacer(TestProperties.fast());
        Instant later = clock.instant().plusSeconds(3);

        // when
        pacer.pauseUntil(later);
        pacer.pauseUntil(later.minusSeconds(2));

        // then
        assertThat(pacer.pausedUntil()).isEqualTo(later);
    }

    @Test
    void aWaitBeyondTheCapIsASystemicFailure() {
        // given
        RequestPacer pacer = pacer(TestProperties.fast().maxRateLimitWait(Duration.ofSeconds(5)));
        pacer.onRateLimited(clock.instant().plusSeconds(600));

        // when / then
        assertThatThrownBy(() -> pacer.acquire().block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessageStartingWith("Quipteams rate-limit wait of 60")
                .hasMessageContaining("s exceeds the cap of 5 s");
        assertThat(pacer.rateLimitedResponses()).isEqualTo(1);
    }

    private RequestPacer pacer(TestProperties properties) {
        return new RequestPacer(properties.build(), clock, Schedulers.parallel());
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

}
