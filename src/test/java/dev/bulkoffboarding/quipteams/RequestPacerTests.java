package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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

    @Test
    void followsTheVendorsLimitUpWhenNoCapIsSet() {
        // given: no requests-per-minute; the pace starts at 600 per minute
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().followTheVendor().initialRequestsPerMinute(600), time);
        int before = pacer.effectiveRatePerMinute();

        // when: the vendor advertises 1,200 per minute, and 400 requests wait for 10 s
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "1200"));
        List<Instant> granted = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 400; i++) {
            pacer.acquire().subscribe(null, null, () -> granted.add(time.instant()));
        }
        time.advance(Duration.ofSeconds(10));

        // then: one every 50 ms, where 600 per minute would have let out 101
        assertThat(before).isEqualTo(600);
        assertThat(pacer.effectiveRatePerMinute()).isEqualTo(1200);
        assertThat(granted).hasSizeBetween(195, 201);
    }

    @Test
    void followsTheVendorsLimitDownAndBackUp() {
        // given
        RequestPacer pacer = virtualPacer(TestProperties.fast().followTheVendor(), new ManualScheduler());

        // when
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "120"));
        int lowered = pacer.effectiveRatePerMinute();
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "900"));
        int raised = pacer.effectiveRatePerMinute();

        // then
        assertThat(lowered).isEqualTo(120);
        assertThat(raised).isEqualTo(900);
    }

    @Test
    void aKeyWithTwentyPerMinuteNeverGetsMoreThanItsBudgetAtOnce() {
        // given: a cap of 20 per minute with 32 requests allowed in flight
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().requestsPerMinute(20).maxInFlight(32), time);

        // when: 40 requests want to leave at once
        AtomicInteger granted = new AtomicInteger();
        for (int i = 0; i < 40; i++) {
            pacer.acquire().subscribe(null, null, granted::incrementAndGet);
        }
        int atOnce = granted.get();
        time.advance(Duration.ofSeconds(60).minusMillis(1));
        int inTheFirstMinute = granted.get();

        // then: one at once, then one every 3 s: 20 in the minute, never 32
        assertThat(atOnce).isEqualTo(1);
        assertThat(inTheFirstMinute).isEqualTo(20);
    }

    @Test
    void theStartIsNoBurstHoweverLongTheRunTookToGetThere() {
        // given: 600 per minute, and a minute of staging before the first request
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().requestsPerMinute(600), time);
        time.advance(Duration.ofMinutes(1));

        // when
        AtomicInteger granted = new AtomicInteger();
        for (int i = 0; i < 30; i++) {
            pacer.acquire().subscribe(null, null, granted::incrementAndGet);
        }
        int atOnce = granted.get();
        time.advance(Duration.ofSeconds(1));

        // then: one at once, then one every 100 ms
        assertThat(atOnce).isEqualTo(1);
        assertThat(granted.get()).isEqualTo(11);
    }

    @Test
    void aPauseEndsWithOneRequestNotWithWhatTheBucketSavedUp() {
        // given: 600 per minute, the bucket full after a request and an idle minute
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().requestsPerMinute(600), time);
        pacer.acquire().subscribe();
        time.advance(Duration.ofMinutes(1));
        Instant until = time.instant().plusSeconds(5);

        // when: a 429 pauses everything while 30 requests wait
        pacer.onRateLimited(until);
        List<Instant> granted = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 30; i++) {
            pacer.acquire().subscribe(null, null, () -> granted.add(time.instant()));
        }
        time.advance(Duration.ofSeconds(5).minusMillis(1));
        int duringThePause = granted.size();
        time.advance(Duration.ofMillis(1));
        int atItsEnd = granted.size();
        time.advance(Duration.ofSeconds(1));

        // then: none during it, one at its end, then the (cut) pace: 420 per minute, one every 143 ms
        assertThat(duringThePause).isZero();
        assertThat(atItsEnd).isEqualTo(1);
        assertThat(granted).hasSize(8).allSatisfy(at -> assertThat(at).isAfterOrEqualTo(until));
    }

    @Test
    void writesLeaveBeforeReadsWhenBothWait() {
        // given: one request per second, the first token spent
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().requestsPerMinute(60), time);
        pacer.acquire().subscribe();
        List<String> order = new CopyOnWriteArrayList<>();

        // when: a read queues first, then writes and reads arrive while it waits
        pacer.acquireRead().subscribe(null, null, () -> order.add("GET 1"));
        pacer.acquire().subscribe(null, null, () -> order.add("POST 1"));
        pacer.acquire().subscribe(null, null, () -> order.add("POST 2"));
        pacer.acquireRead().subscribe(null, null, () -> order.add("GET 2"));
        time.advance(Duration.ofMillis(2500));
        pacer.acquire().subscribe(null, null, () -> order.add("POST 3"));
        time.advance(Duration.ofSeconds(10));

        // then: the first read waits while writes queue, and leaves once none does
        assertThat(order).containsExactly("POST 1", "POST 2", "POST 3", "GET 1", "GET 2");
    }

    @Test
    void pacedReadSharesTheBudgetAndCountsAsInFlight() {
        // given
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().requestsPerMinute(60), time);
        AtomicInteger inFlightDuringTheCall = new AtomicInteger();

        // when
        String first = pacer.pacedRead(() -> Mono.fromSupplier(() -> {
            inFlightDuringTheCall.set(pacer.inFlight());
            return "page";
        })).block(TIMEOUT);
        AtomicInteger second = new AtomicInteger();
        pacer.pacedRead(() -> Mono.fromRunnable(second::incrementAndGet)).subscribe();
        int beforeARefill = second.get();
        time.advance(Duration.ofSeconds(1));

        // then
        assertThat(first).isEqualTo("page");
        assertThat(inFlightDuringTheCall.get()).isEqualTo(1);
        assertThat(beforeARefill).isZero();
        assertThat(second.get()).isEqualTo(1);
        assertThat(pacer.inFlight()).isZero();
    }

    @Test
    void aRateLimitCutsThePaceOnceForOneBurstAndItGrowsBackSlowly() {
        // given: the vendor advertises 600 per minute
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().followTheVendor(), time);
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "600"));

        answers(pacer, time, 100, Duration.ofSeconds(10));

        // when: three requests of one burst are refused together, then answers keep coming
        refusal(pacer);
        refusal(pacer);
        refusal(pacer);
        int cut = pacer.effectiveRatePerMinute();
        time.advance(Duration.ofSeconds(30));
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "600"));
        int halfway = pacer.effectiveRatePerMinute();
        time.advance(Duration.ofSeconds(30));
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "600"));
        int recovered = pacer.effectiveRatePerMinute();
        time.advance(Duration.ofSeconds(30));
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "600"));

        // then: 600 x 0.7, then 90 per minute more every 30 s, never above the advertised limit
        assertThat(cut).isEqualTo(420);
        assertThat(halfway).isEqualTo(510);
        assertThat(recovered).isEqualTo(600);
        assertThat(pacer.effectiveRatePerMinute()).isEqualTo(600);
        assertThat(pacer.rateLimitedResponses()).isEqualTo(3);
    }

    @Test
    void aSecondBurstOfRateLimitsCutsAgain() {
        // given
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().followTheVendor(), time);
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "1000"));
        answers(pacer, time, 200, Duration.ofSeconds(10));

        // when
        refusal(pacer);
        answers(pacer, time, 10, Duration.ofSeconds(1));
        refusal(pacer);

        // then: 1000 x 0.7 x 0.7, give or take the second of growth in between
        assertThat(pacer.effectiveRatePerMinute()).isBetween(490, 495);
    }

    @Test
    void aCutGoesStraightDownToWhatTheVendorAcceptedButNoFurtherThanAQuarter() {
        // given: paced at 600 per minute, the vendor accepted only 3 a second over the last 10 s
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast().followTheVendor(), time);
        pacer.onResponseHeaders(headers("X-RateLimit-Limit", "600"));
        RequestPacer starved = virtualPacer(TestProperties.fast().followTheVendor(), time);
        starved.onResponseHeaders(headers("X-RateLimit-Limit", "600"));
        answers(pacer, time, 30, Duration.ofSeconds(10));
        answers(starved, time, 4, Duration.ofMillis(1));

        // when
        refusal(pacer);
        refusal(starved);

        // then: about 180 per minute (the window counts in half seconds), not 420; and never
        // below a quarter of 600 however little was accepted (4 in the last 10 s)
        assertThat(pacer.effectiveRatePerMinute()).isBetween(170, 186);
        assertThat(starved.effectiveRatePerMinute()).isEqualTo(150);
    }

    @Test
    void aRequestLetGoBeforeAPauseWaitsForItsEndBeforeLeaving() {
        // given
        ManualScheduler time = new ManualScheduler();
        RequestPacer pacer = virtualPacer(TestProperties.fast(), time);
        pacer.pauseUntil(time.instant().plusSeconds(2));
        AtomicInteger left = new AtomicInteger();

        // when
        pacer.awaitPause().subscribe(null, null, left::incrementAndGet);
        time.advance(Duration.ofMillis(1999));
        int duringThePause = left.get();
        time.advance(Duration.ofMillis(1));

        // then
        assertThat(duringThePause).isZero();
        assertThat(left.get()).isEqualTo(1);
    }

    private RequestPacer pacer(TestProperties properties) {
        return new RequestPacer(properties.build(), clock, Schedulers.parallel());
    }

    /** {@code count} answers (not 429) spread evenly over {@code span}, as responses report them. */
    private static void answers(RequestPacer pacer, ManualScheduler time, int count, Duration span) {
        for (int i = 0; i < count; i++) {
            time.advance(span.dividedBy(count));
            pacer.onResponseHeaders(new HttpHeaders());
        }
    }

    /** A 429 as the client reports it: its headers first, then the refusal. */
    private static void refusal(RequestPacer pacer) {
        pacer.onResponseHeaders(new HttpHeaders());
        pacer.onRateLimited(null);
    }

    private static RequestPacer virtualPacer(TestProperties properties, ManualScheduler time) {
        return new RequestPacer(properties.build(), time.clock(), time);
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

}
