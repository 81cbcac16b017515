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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import static dev.bulkoffboarding.quipteams.ScriptedVendor.item;
import static dev.bulkoffboarding.quipteams.ScriptedVendor.json;
import static dev.bulkoffboarding.quipteams.ScriptedVendor.list;
import static dev.bulkoffboarding.quipteams.ScriptedVendor.listOf;
import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceActionSubmitterTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

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
        DeviceActionSubmitter submitter = submitter(quick().settleDelay(Duration.ofMillis(150)));
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
        DeviceActionSubmitter submitter = submitter(quick());
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
    void adoptsNoActionThatDiffersFromOursInWipeOrPeople() {
        // given: for our device and action type, actions made elsewhere: without the wipe, for
        // another current user, with a new recipient we did not ask for
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(json(500, ""))
                .then(listOf(item("da-no-wipe", SERIAL, "Store", "2026-03-07T10:00:00.100Z", false, "john@acme.com", null),
                        item("da-other-user", SERIAL, "Store", "2026-03-07T10:00:00.200Z", true, "jane@acme.com", null),
                        item("da-recipient", SERIAL, "Store", "2026-03-07T10:00:00.300Z", true, "john@acme.com",
                                "it@acme.com")))
                .then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 2, false));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "POST");
    }

    @Test
    void adoptsOurActionWhateverTheCaseOfItsEmails() {
        // given
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(json(500, ""))
                .then(listOf(item("da-ours", SERIAL, "Store", "2026-03-07T10:00:00.100Z", true, " John@ACME.com", null)));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 1, true));
    }

    @Test
    void looksForActionsCreatedSinceTheFirstSendNotTheLatest() {
        // given: a row first sent at 09:30 by a run that crashed; this run's own attempt fails too
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(list()).then(json(502, "")).then(list("da-ours", SERIAL, "Store", "2026-03-07T09:30:01.000Z"));

        // when
        SubmissionResult result = submitter.submit(submission("k", Instant.parse("2026-03-07T09:30:00Z")))
                .block(TIMEOUT);

        // then: the second listing still covers the first send (less the clock skew)
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 1, true));
        assertThat(vendor.methods()).containsExactly("GET", "POST", "GET");
        assertThat(vendor.arrivals().get(2).request().getUrl().queryParameter("created_after"))
                .isEqualTo("2026-03-07T09:20:00.000Z");
    }

    @Test
    void listsOnlyOnceTheResponseTimeoutAndTheSettleDelayHavePassedSinceTheSend() {
        // given: the vendor may still create the action until our timeout has passed, and its list lags
        DeviceActionSubmitter submitter = submitter(quick().settleDelay(Duration.ofMillis(300)));
        vendor.then(json(500, "")).then(list()).then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 2, false));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "POST");
        assertThat(Duration.between(vendor.arrivals().get(0).at(), vendor.arrivals().get(1).at()))
                .isGreaterThanOrEqualTo(RESPONSE_TIMEOUT.plusMillis(300));
    }

    @Test
    void aRestartWaitsUntilTheRecordedSendHasSettledBeforeListing() {
        // given: a row left SUBMITTING, last sent 200 ms ago (by this test's clock)
        DeviceActionSubmitter submitter = submitter(quick().settleDelay(Duration.ofMillis(300)));
        vendor.then(list()).then(created("da-new"));
        Submission submission = new Submission("k", SERIAL, "Store", BODY, NOW.minusSeconds(60), Set.of(),
                NOW.minusMillis(200));
        Instant started = Instant.now();

        // when
        SubmissionResult result = submitter.submit(submission).block(TIMEOUT);

        // then: nothing before the recorded send plus the connect timeout (the record precedes
        // connecting), the response timeout and the settle delay: 3.1 s from now
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 1, false));
        assertThat(vendor.methods()).containsExactly("GET", "POST");
        assertThat(vendor.arrivals().get(0).at()).isAfterOrEqualTo(started.plusMillis(3100));
        assertThat(vendor.arrivals().get(0).request().getUrl().queryParameter("created_after"))
                .isEqualTo("2026-03-07T09:49:00.000Z");
    }

    @Test
    void recordsEverySendBeforeItLeaves() {
        // given
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(json(503, "")).then(list()).then(created("da-new"));
        List<String> records = new CopyOnWriteArrayList<>();
        SendRecorder recorder = (submission, at) -> records
                .add(submission.idempotencyKey() + " at " + at + " after " + vendor.arrivals().size() + " requests");

        // when
        SubmissionResult result = submitter.submit(submission("k", null), recorder).block(TIMEOUT);

        // then
        assertThat(result).isInstanceOf(SubmissionResult.Created.class);
        assertThat(records).containsExactly("k at " + NOW + " after 0 requests", "k at " + NOW + " after 2 requests");
    }

    @Test
    void sendsNothingAndStopsWhenTheSendCannotBeRecorded() {
        // given
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.otherwise(request -> created("da-new"));
        SendRecorder broken = (submission, at) -> {
            throw new IllegalStateException("database unavailable");
        };

        // when / then
        assertThatThrownBy(() -> submitter.submit(submission("k", null), broken).block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessageContaining("Could not record that k is being sent, so it was not sent")
                .hasMessageContaining("database unavailable");
        assertThat(vendor.arrivals()).isEmpty();
    }

    @Test
    void aSuccessWithoutAnIdIsLookedUpAndTheVendorsIdRecorded() {
        // given: 200 text/html "OK", with the action created behind it
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(htmlOk()).then(list("da-ours", SERIAL, "Store", "2026-03-07T10:00:00.100Z"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-ours", "AST-da-ours", "In Progress", 200, 1, true));
        assertThat(vendor.methods()).containsExactly("POST", "GET");
    }

    @Test
    void aSuccessWithoutAnIdThatTheVendorDoesNotShowIsUnconfirmedNeverResent() {
        // given
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(htmlOk()).then(list()).otherwise(request -> created("da-never"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Unconfirmed(200, "Quipteams answered 200 without the device "
                + "action's id (the body is not JSON, Content-Type text/html) and the vendor's list does not show the "
                + "device action: check the vendor's dashboard before sending it again", 1));
        assertThat(vendor.methods()).containsExactly("POST", "GET");
    }

    @Test
    void aSuccessWithoutAnIdIsUnconfirmedWhenListingKeepsFailing() {
        // given
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(2));
        vendor.then(htmlOk()).otherwise(request -> json(503, ""));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isInstanceOfSatisfying(SubmissionResult.Unconfirmed.class,
                unconfirmed -> assertThat(unconfirmed.reason()).contains("the vendor's list could not be read"));
        assertThat(vendor.methods()).containsExactly("POST", "GET", "GET");
    }

    @Test
    void retriesTheListingNotThePostWhenListingFails() {
        // given
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(3));
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
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(2));
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
        DeviceActionSubmitter submitter = submitter(quick());
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
        DeviceActionSubmitter submitter = submitter(quick());
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
        DeviceActionSubmitter submitter = submitter(quick());
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
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(2));
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
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.then(json(429, "")).then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then: the 429 is not one of the row's attempts
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 1, false));
        assertThat(vendor.methods()).containsExactly("POST", "POST");
    }

    @Test
    void rateLimitsNeverUseUpARowsAttempts() {
        // given: two attempts per row, and more 429s than that before the vendor accepts it
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(2));
        vendor.then(json(429, "")).then(json(429, "")).then(json(429, "")).then(created("da-new"));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isEqualTo(new SubmissionResult.Created("da-new", "AST-da-new", "In Progress", 201, 1, false));
        assertThat(vendor.methods()).containsExactly("POST", "POST", "POST", "POST");
        assertThat(pacer.rateLimitedResponses()).isEqualTo(3);
    }

    @Test
    void aRowThatIsOnlyEverRateLimitedEndsFailedNotRetriedForever() {
        // given
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(2));
        vendor.otherwise(request -> json(429, ""));

        // when
        SubmissionResult result = submitter.submit(submission("k", null)).block(TIMEOUT);

        // then
        assertThat(result).isInstanceOf(SubmissionResult.Failed.class);
        assertThat(((SubmissionResult.Failed) result).reason()).startsWith("rate limited 50 times");
        assertThat(vendor.methods()).hasSize(DeviceActionSubmitter.MAX_RATE_LIMITED);
    }

    @Test
    void rejectsAPermanentErrorWithoutRetrying() {
        // given
        DeviceActionSubmitter submitter = submitter(quick());
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
        DeviceActionSubmitter submitter = submitter(quick());
        vendor.otherwise(request -> json(401, "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"revoked\"}}"));

        // when / then
        assertThatThrownBy(() -> submitter.submitAll(submissions(5)).collectList().block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessage("API key rejected (401 UNAUTHORIZED): check QUIPTEAMS_API_KEY")
                .hasMessageNotContaining(SECRET_KEY);
        assertThat(vendor.methods()).containsExactly("POST");
    }

    @Test
    void aWrongBaseUrlCostsOneRequestAndIsNamed() {
        // given: a web server that is not the vendor, with its own 404 page
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(8));
        vendor.otherwise(request -> new MockResponse.Builder().code(404).addHeader("Content-Type", "text/html")
                .body("<html><body>Not Found</body></html>").build());

        // when / then
        assertThatThrownBy(() -> submitter.submitAll(submissions(20)).collectList().block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessage(server.url("/") + " does not look like the Quipteams API: 404 with an HTML page; "
                        + "check quipteams.base-url");
        assertThat(vendor.methods()).containsExactly("POST");
    }

    @Test
    void anUnreachableHostCostsAtMostThreeAttemptsAndIsNamed() throws IOException {
        // given: nobody listens at the address any more; a row alone would try ten times
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(8).maxAttempts(10));
        String address = server.url("/").toString();
        server.close();

        // when / then
        assertThatThrownBy(() -> submitter.submitAll(submissions(20)).collectList().block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessageStartingWith("cannot reach " + address + ": connection refused (3 attempts)");
    }

    @Test
    void sendsOneRowAtATimeUntilTheVendorHasAnsweredThenOpensUp() {
        // given: POSTs answer slowly, the first with a 503 (which proves nothing: reconciling it
        // finds nothing, and it is sent again), so that the rows behind it would go out together
        // if nothing held them
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlightBeforeAnAnswer = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicBoolean answered = new AtomicBoolean();
        AtomicInteger posts = new AtomicInteger();
        vendor.otherwise(request -> {
            if ("GET".equals(request.getMethod())) {
                return list();
            }
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            if (!answered.get()) {
                mostInFlightBeforeAnAnswer.accumulateAndGet(now, Math::max);
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            if (posts.incrementAndGet() == 1) {
                return json(503, "");
            }
            answered.set(true);
            return created(request.getHeaders().get("Idempotency-Key"));
        });
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(8));

        // when
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(24))
                .collectList()
                .block(TIMEOUT);

        // then
        assertThat(results).hasSize(24)
                .allSatisfy(entry -> assertThat(entry.getValue()).isInstanceOf(SubmissionResult.Created.class));
        assertThat(mostInFlightBeforeAnAnswer.get()).isEqualTo(1);
        assertThat(mostInFlight.get()).isGreaterThan(1).isLessThanOrEqualTo(8);
    }

    @Test
    void aNewRunStartsOneAtATimeAgain() {
        // given: a run whose vendor answered, so that it sent at full concurrency
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(8));
        vendor.otherwise(request -> created(request.getHeaders().get("Idempotency-Key")));
        submitter.submitAll(submissions(3)).collectList().block(TIMEOUT);
        int before = vendor.arrivals().size();

        // when: the next run meets a rejected key
        submitter.startRun();
        vendor.otherwise(request -> json(401, "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"revoked\"}}"));
        Throwable error = catchError(() -> submitter.submitAll(submissions(20)).blockLast(TIMEOUT));

        // then
        assertThat(error).isInstanceOf(SystemicFailureException.class);
        assertThat(vendor.arrivals().size() - before).isEqualTo(1);
    }

    @Test
    void opensTheCircuitAfterConsecutiveFailedRows() {
        // given
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(1).circuitBreakerThreshold(2)
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
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(1).circuitBreakerThreshold(2)
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
        DeviceActionSubmitter submitter = submitter(quick().maxAttempts(1).circuitBreakerThreshold(2)
                .maxInFlight(1));
        vendor.then(json(503, "")).then(list())
                .then(json(404, "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"Device not in inventory\"}}"))
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
        // given: a vendor that answers the first request at once (the slow start then opens), then
        // holds every answer until ten requests are waiting at once (so the test does not depend on
        // how fast requests leave), then answers everything at once
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        AtomicInteger arrivals = new AtomicInteger();
        CountDownLatch tenWaiting = new CountDownLatch(10);
        vendor.otherwise(request -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (arrivals.getAndIncrement() == 0) {
                inFlight.decrementAndGet();
                return created(request.getHeaders().get("Idempotency-Key"));
            }
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
        // given: the first row is created (the run then sends three at a time); of the next three,
        // one is refused and the two sent alongside it answer slowly, so that the rows after them
        // start while the pause is on
        AtomicInteger arrivals = new AtomicInteger();
        vendor.otherwise(request -> {
            int arrival = arrivals.getAndIncrement();
            if (arrival == 1) {
                return new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build();
            }
            String id = request.getHeaders().get("Idempotency-Key");
            return (arrival == 2 || arrival == 3)
                    ? created(id).newBuilder().headersDelay(500, TimeUnit.MILLISECONDS).build() : created(id);
        });
        DeviceActionSubmitter submitter = submitter(TestProperties.fast().maxInFlight(3));

        // when
        List<Map.Entry<Submission, SubmissionResult>> results = submitter.submitAll(submissions(7))
                .collectList()
                .block(TIMEOUT);

        // then
        Instant pauseEnd = pacer.pausedUntil();
        List<ScriptedVendor.Arrival> seen = vendor.arrivals();
        assertThat(seen).hasSize(8);
        assertThat(seen.subList(4, 8)).allSatisfy(arrival -> assertThat(arrival.at()).isAfterOrEqualTo(pauseEnd));
        assertThat(seen.get(1).at()).isBefore(pauseEnd.minusMillis(900));
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

    /**
     * Production-like settings with a short response timeout: after an ambiguous failure the
     * submitter waits for the response timeout and the settle delay before it lists.
     */
    private static TestProperties quick() {
        return TestProperties.fast().responseTimeout(RESPONSE_TIMEOUT);
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

    private static MockResponse htmlOk() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("OK").build();
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
