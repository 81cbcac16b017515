package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static dev.bulkoffboarding.quipteams.ScriptedVendor.created;
import static dev.bulkoffboarding.quipteams.ScriptedVendor.json;
import static dev.bulkoffboarding.quipteams.ScriptedVendor.list;
import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceActionSubmitterTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Instant NOW = Instant.parse("2026-03-07T10:00:00Z");

    private static final String SERIAL = "C02X9876WXYZ";

    private static final String BODY = "{\"action_type\":\"Store\",\"serial_number\":\"C02X9876WXYZ\","
            + "\"current_user\":{\"name\":\"John Doe\",\"email\":\"john@acme.com\"},\"wipe\":true}";

    private final MockWebServer server = new MockWebServer();

    private final ScriptedVendor vendor = new ScriptedVendor();

    private DeviceActionClient client;

    private RequestPacer pacer;

    @BeforeEach
    void startServer() throws IOException {
        server.setDispatcher(vendor);
        server.start();
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.close();
    }

    @Test
    void reconcilesAnAmbiguousFailureAndDoesNotResendWhatTheVendorCreated() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().settleDelay(Duration.ofMillis(150)));
        vendor.then(json(500, "{\"error\": {\"code\": \"INTERNAL\", \"message\": \"mail server down\"}}"))
                .then(list("da-other", SERIAL + "-2", "Store", "2026-03-07T10:00:01.000Z",
                        "da-ours", SERIAL.toLowerCase(), "STORE", "2026-03-07T10:00:00.500Z"));

        // when
        SubmissionResult result = submitter.submit(submission("run-1:2", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 1, true));
        assertThat(vendor.methods()).containsExactly("POST", "GET");
        RecordedRequest listing = vendor.arrivals().get(1).request();
        assertThat(listing.getUrl().queryParameter("serial_number")).isEqualTo(SERIAL);
        assertThat(listing.getUrl().queryParameter("action_type")).isEqualTo("Store");
        assertThat(listing.getUrl().queryParameter("created_after")).isEqualTo("2026-03-07T09:50:00.000Z");
        assertThat(Duration.between(vendor.arrivals().get(0).at(), vendor.arrivals().get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void resendsOnlyWhenReconcilingFindsNothingOfOurs() {
        // given: a partial serial, another action type and an action from before the window
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(json(503, ""))
                .then(list("da-1", SERIAL + "-2", "Store", "2026-03-07T10:00:01.000Z",
                        "da-2", SERIAL, "Retrieval", "2026-03-07T10:00:01.000Z",
                        "da-3", SERIAL, "Store", "2026-03-07T09:00:00.000Z"))
                .then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("run-1:2", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 2, false));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "POST");
        RecordedRequest first = vendor.arrivals().get(0).request();
        RecordedRequest resent = vendor.arrivals().get(2).request();
        assertThat(resent.getBody()).isEqualTo(first.getBody());
        assertThat(resent.getHeaders().get("Idempotency-Key")).isEqualTo("run-1:2");
    }

    @Test
    void retriesTheListingNotThePostWhenListingFails() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(3));
        vendor.then(json(502, ""))
                .then(json(503, ""))
                .then(json(500, ""))
                .then(list("da-ours", SERIAL, "Store", "2026-03-07T10:00:00.100Z"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 1, true));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "GET", "GET");
    }

    @Test
    void neverResendsWhenListingKeepsFailing() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(2));
        vendor.then(json(500, "")).otherwise(request -> json(503, ""));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then: the row is not final-failed-and-forgotten: a restart must reconcile it first
        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Failed.class, failed -> {
            assertThat(failed.unreconciledAttemptAt()).isEqualTo(NOW);
            assertThat(failed.attempts()).isEqualTo(1);
            assertThat(failed.reason()).startsWith("could not tell whether the attempt of 2026-03-07T10:00:00Z");
        });
        assertThat(vendor.methods()).containsExactly("POST", "GET", "GET");
    }

    @Test
    void reconcilesARowLeftSubmittingBeforeSendingAnything() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(list("da-ours", SERIAL, "Store", "2026-03-07T09:30:00.200Z"));

        // when
        SubmissionResult result = submitter.submit(submission("k", Instant.parse("2026-03-07T09:30:00Z")))
                .block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 0, true));
        assertThat(vendor.methods()).containsExactly("GET");
        assertThat(vendor.arrivals().get(0).request().getUrl().queryParameter("created_after"))
                .isEqualTo("2026-03-07T09:20:00.000Z");
    }

    @Test
    void neverTakesAnActionAnotherRowAccountsForAsThisRowsOwn() {
        // given: an earlier run's action for the same device, created moments before this attempt
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(list("da-earlier-run", SERIAL, "Store", "2026-03-07T09:59:59.000Z"))
                .then(created("da-new"));
        Submission submission = new Submission("k", SERIAL, "Store", BODY, Instant.parse("2026-03-07T09:59:58Z"),
                java.util.Set.of("da-earlier-run"));

        // when
        SubmissionResult result = submitter.submit(submission).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 1, false));
        assertThat(vendor.methods()).containsExactly("GET", "POST");
    }

    @Test
    void sendsARowLeftSubmittingWhenTheVendorNeverGotIt() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(list()).then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", Instant.parse("2026-03-07T09:30:00Z")))
                .block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 1, false));
        assertThat(vendor.methods()).containsExactly("GET", "POST");
    }

    @Test
    void givesUpAfterMaxAttemptsWithAResultNotAnError() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(2));
        vendor.otherwise(request -> "GET".equals(request.getMethod()) ? list() : json(503, ""));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Failed(503, "503 Service Unavailable", 2, null));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "POST", "GET");
    }

    @Test
    void retriesWhatWasNotSentWithoutReconciling() {
        // given: a 429 without Retry-After, then success
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(json(429, "")).then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 2, false));
        assertThat(vendor.methods()).containsExactly("POST", "POST");
    }

    @Test
    void rejectsAPermanentErrorWithoutRetrying() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.then(json(422, "{\"error\": {\"code\": \"INVALID_ACTION\", \"message\": \"Reassign needs new_recipient\"}}"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result)
                .isEqualTo(new SubmissionResult.Rejected(422, "INVALID_ACTION", "Reassign needs new_recipient", 1));
        assertThat(vendor.methods()).containsExactly("POST");
    }

    @Test
    void stopsAtOnceWhenTheKeyIsRejected() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast());
        vendor.otherwise(request -> json(401, "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"revoked\"}}"));

        // when / then
        assertThatThrownBy(() -> submitter.submitAll(submissions(5)).collectList().block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessage("API key rejected (401 UNAUTHORIZED): check QUIPTEAMS_API_KEY")
                .hasMessageNotContaining(SECRET_KEY);
        assertThat(vendor.methods()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void opensTheCircuitAfterConsecutiveFailedRows() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(1).circuitBreakerThreshold(2)
                .maxInFlight(1));
        vendor.otherwise(request -> "GET".equals(request.getMethod()) ? list() : json(503, ""));
        List<Map.Entry<Submission, SubmissionResult>> emitted = new ArrayList<>();

        // when
        Throwable error = catchError(() -> submitter.submitAll(submissions(5)).doOnNext(emitted::add).blockLast(TIMEOUT));

        // then
        assertThat(error).isInstanceOf(SystemicFailureException.class)
                .hasMessage("Quipteams unavailable since 10:00:00 UTC (2 consecutive failures)");
        assertThat(emitted).hasSize(1);
        assertThat(emitted.get(0).getValue()).isInstanceOf(SubmissionResult.Failed.class);
        assertThat(vendor.methods()).containsExactly("POST", "GET", "POST", "GET");
    }

    @Test
    void aNewRunGetsAFreshChanceAfterTheCircuitOpened() {
        // given: an earlier run opened the circuit a moment ago (this clock never moves on)
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(1).circuitBreakerThreshold(2)
                .maxInFlight(1));
        vendor.then(json(503, "")).then(list()).then(json(503, "")).then(list());
        assertThat(catchError(() -> submitter.submitAll(submissions(2)).blockLast(TIMEOUT)))
            .isInstanceOf(SystemicFailureException.class);
        assertThat(catchError(() -> submitter.submitAll(submissions(1)).blockLast(TIMEOUT)))
            .as("still open").isInstanceOf(SystemicFailureException.class);
        vendor.then(created("da-1"));

        // when
        submitter.startRun();
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(1))
                .collectList()
                .block(TIMEOUT);

        // then
        assertThat(results).extracting(entry -> entry.getValue().getClass().getSimpleName())
                .containsExactly("Created");
    }

    @Test
    void anAnswerResetsTheFailureStreak() {
        // given
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxAttempts(1).circuitBreakerThreshold(2)
                .maxInFlight(1));
        vendor.then(json(503, "")).then(list())
                .then(json(404, ""))
                .then(json(503, "")).then(list())
                .then(created("da-4"));

        // when
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(4))
                .collectList()
                .block(TIMEOUT);

        // then
        assertThat(results).extracting(entry -> entry.getValue().getClass().getSimpleName())
                .containsExactly("Failed", "Rejected", "Failed", "Created");
    }

    @Test
    void submitsUpToMaxInFlightRowsConcurrently() {
        // given: a vendor that holds every answer until ten requests are waiting at once (so the
        // test does not depend on how fast requests leave), then answers everything at once
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        CountDownLatch tenWaiting = new CountDownLatch(10);
        vendor.otherwise(request -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            tenWaiting.countDown();
            try {
                // a client that never has ten out at once shows up as a peak below ten, not a hang
                tenWaiting.await(TIMEOUT.toSeconds() / 2, TimeUnit.SECONDS);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return created(request.getHeaders().get("Idempotency-Key"));
        });
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(10).responseTimeout(TIMEOUT));

        // when
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(40))
                .collectList()
                .block(TIMEOUT);

        // then: ten at once, never more
        assertThat(results).hasSize(40).allSatisfy(entry -> assertThat(entry.getValue())
                .isEqualTo(new SubmissionResult.Created(entry.getKey().idempotencyKey(),
                        "AST-" + entry.getKey().idempotencyKey(), "In Progress", 201, 1, false)));
        assertThat(vendor.arrivals()).hasSize(40);
        assertThat(mostInFlight.get()).isEqualTo(10);
    }

    @Test
    void aRateLimitPausesEveryRequestUntilRetryAfter() {
        // given: the first request is refused; the two sent alongside it answer slowly, so that the
        // rows after them start while the pause is on
        AtomicInteger arrivals = new AtomicInteger();
        vendor.otherwise(request -> {
            int arrival = arrivals.getAndIncrement();
            if (arrival == 0) {
                return new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build();
            }
            String id = request.getHeaders().get("Idempotency-Key");
            return (arrival < 3) ? created(id).newBuilder().headersDelay(500, TimeUnit.MILLISECONDS).build() : created(id);
        });
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(3));

        // when
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(6))
                .collectList()
                .block(TIMEOUT);

        // then
        Instant pauseEnd = pacer.pausedUntil();
        List<ScriptedVendor.Arrival> seen = vendor.arrivals();
        assertThat(seen).hasSize(7);
        assertThat(seen.subList(3, 7)).allSatisfy(arrival -> assertThat(arrival.at()).isAfterOrEqualTo(pauseEnd));
        assertThat(seen.get(0).at()).isBefore(pauseEnd.minusMillis(900));
        assertThat(results).extracting(entry -> entry.getValue().getClass().getSimpleName()).containsOnly("Created");
        assertThat(pacer.rateLimitedResponses()).isEqualTo(1);
    }

    @Test
    void spendsTheBudgetWithoutA429InSteadyState() {
        // given: a vendor with windows allowing 4 requests each (600 per minute), announced only
        // through its headers, while we are configured for ten times that. Its windows follow a
        // clock that the test moves to the announced reset only while no request is in flight, so
        // a slow machine cannot make an answer arrive after its own window has ended.
        SteppedClock clock = new SteppedClock(NOW);
        FixedWindowVendor fixedWindow = new FixedWindowVendor(clock, Duration.ofMillis(400), 4);
        vendor.otherwise(fixedWindow::answer);
        TestProperties properties = TestProperties.fast().requestsPerMinute(6_000).maxInFlight(4)
                .baseUrl(server.url("/").uri());
        DeviceActionSubmitter submitter = submitter(properties,
                new RequestPacer(properties.build(), clock, Schedulers.parallel()));
        Disposable windows = Flux.interval(Duration.ofMillis(5)).subscribe(tick -> {
            if (pacer.inFlight() == 0) {
                fixedWindow.endWindowIfUsed();
            }
        });

        // when
        List<Map.Entry<Submission, SubmissionResult>> results;
        try {
            results = submitter.submitAll(submissions(16)).collectList().block(TIMEOUT);
        }
        finally {
            windows.dispose();
        }

        // then: four windows of four requests, no request before a window's reset
        assertThat(fixedWindow.refused.get()).isZero();
        assertThat(fixedWindow.perWindow()).allSatisfy(count -> assertThat(count).isBetween(1, 4));
        assertThat(fixedWindow.perWindow().stream().mapToInt(Integer::intValue).sum()).isEqualTo(16);
        assertThat(pacer.rateLimitedResponses()).isZero();
        assertThat(pacer.effectiveRatePerMinute()).isEqualTo(600);
        assertThat(results).hasSize(16)
                .allSatisfy(entry -> assertThat(entry.getValue()).isInstanceOf(SubmissionResult.Created.class));
    }

    /**
     * Counts requests per window of its clock and refuses the ones over the limit, as the vendor
     * would; a window ends when the test says so, by moving the clock to the announced reset.
     */
    private static final class FixedWindowVendor {

        private final SteppedClock clock;
        private final Duration window;
        private final int limit;
        private final AtomicInteger refused = new AtomicInteger();
        private final List<Integer> perWindow = new ArrayList<>();
        private Instant reset;
        private int used;

        FixedWindowVendor(SteppedClock clock, Duration window, int limit) {
            this.clock = clock;
            this.window = window;
            this.limit = limit;
            this.reset = clock.instant().plus(window);
        }

        synchronized MockResponse answer(RecordedRequest request) {
            if (!clock.instant().isBefore(reset)) {
                perWindow.add(used);
                reset = reset.plus(window);
                used = 0;
            }
            used++;
            MockResponse.Builder response = (used > limit)
                    ? new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                    : created(request.getHeaders().get("Idempotency-Key")).newBuilder();
            if (used > limit) {
                refused.incrementAndGet();
            }
            return response.addHeader("X-RateLimit-Limit", "600")
                    .addHeader("X-RateLimit-Remaining", String.valueOf(Math.max(0, limit - used)))
                    .addHeader("X-RateLimit-Reset", String.valueOf(reset.toEpochMilli()))
                    .build();
        }

        /** Moves the clock to the reset of a window that has seen a request. */
        synchronized void endWindowIfUsed() {
            if (used > 0 && clock.instant().isBefore(reset)) {
                clock.set(reset);
            }
        }

        synchronized List<Integer> perWindow() {
            List<Integer> counts = new ArrayList<>(perWindow);
            counts.add(used);
            return counts;
        }

    }

    /** A clock that stands still until the test moves it. */
    private static final class SteppedClock extends Clock {

        private volatile Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

    }

    private DeviceActionSubmitter submitter(TestProperties properties) {
        return submitter(properties, new RequestPacer(properties.baseUrl(server.url("/").uri()).build()));
    }

    private DeviceActionSubmitter submitter(TestProperties properties, RequestPacer pacer) {
        QuipteamsProperties built = properties.baseUrl(server.url("/").uri()).build();
        this.pacer = pacer;
        client = new DeviceActionClient(WebClient.builder(), new ApiEndpoint(built.baseUrl(), ApiKey.of(SECRET_KEY)),
                built, pacer);
        return new DeviceActionSubmitter(client, built, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0.5,
                Schedulers.parallel());
    }

    private static Submission submission(String idempotencyKey, Instant previousAttemptAt) {
        return new Submission(idempotencyKey, SERIAL, "Store", BODY, previousAttemptAt);
    }

    private static List<Submission> submissions(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(line -> submission("run-1:" + line, null))
                .toList();
    }

    private static Throwable catchError(Runnable action) {
        try {
            action.run();
            return null;
        }
        catch (RuntimeException error) {
            return error;
        }
    }

}
