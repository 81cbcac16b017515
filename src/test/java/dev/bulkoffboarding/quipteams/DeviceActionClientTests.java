package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceActionClientTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Non-ASCII on purpose: the body must go out byte for byte, in UTF-8. */
    private static final String BODY = "{\"action_type\":\"Store\",\"serial_number\":\"C02X9876WXYZ\","
            + "\"current_user\":{\"name\":\"Zoë Ångström\",\"email\":\"zoe@acme.com\"},\"wipe\":true}";

    private static final String CREATED = """
            {"data": {"id": "da-uuid-002", "action_id": "AST34567890", "action_type": "Store",
              "status": "In Progress", "device": {"serial_number": "C02X9876WXYZ"},
              "requested_by": {"name": "API", "email": "john@acme.com"}, "status_timestamps": {}}}
            """;

    private final MockWebServer server = new MockWebServer();

    private DeviceActionClient client;

    private RequestPacer pacer;

    @BeforeEach
    void startServer() throws IOException {
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void postsTheBodyUnchangedWithTheContractHeaders() throws InterruptedException {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
                .body(CREATED).build());

        // when
        AttemptOutcome outcome = client.create(submission("run-1:line-2")).block(TIMEOUT);

        // then
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/v1/device-actions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("run-1:line-2");
        assertThat(request.getBody().toByteArray()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(outcome).isEqualTo(new AttemptOutcome.Created("da-uuid-002", "AST34567890", "In Progress", 201));
    }

    @Test
    void anEnvelopedClientErrorIsPermanent() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(404)
                .body("{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"Device not in inventory\", \"details\": null}}")
                .build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Permanent(404, "NOT_FOUND", "Device not in inventory"));
    }

    @Test
    void theWarmUpSendsNothingAndTheFirstRequestStillGoesOut() throws InterruptedException {
        // given
        client = client(TestProperties.fast());

        // when: twice, as a restarted run would
        client.warmUpInBackground();
        client.warmUpInBackground();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("quipteams-warm-up")) {
                thread.join(TIMEOUT.toMillis());
            }
        }

        // then
        assertThat(server.getRequestCount()).isZero();
        server.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
                .body(CREATED).build());
        assertThat(client.create(submission("k")).block(TIMEOUT)).isInstanceOf(AttemptOutcome.Created.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedKeyIsSystemicAndNeverEchoed() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(401)
                .body("{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"Invalid key\"}}").build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Systemic.class, systemic -> {
            assertThat(systemic.reason()).isEqualTo("API key rejected (401 UNAUTHORIZED): check QUIPTEAMS_API_KEY");
            assertThat(systemic.toException()).hasMessageNotContaining(SECRET_KEY).hasMessageNotContaining("l3ak");
        });
    }

    @Test
    void aServerErrorMayHaveCreatedTheAction() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(503).body("upstream unavailable").build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.MaybeSent(503, "503 Service Unavailable"));
    }

    @Test
    void aConnectionClosedAfterTheRequestArrivedMayHaveCreatedTheAction() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then: the vendor had the whole request; only listing can tell what it did
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.MaybeSent.class,
                maybeSent -> assertThat(maybeSent.httpStatus()).isNull());
    }

    @Test
    void noResponseWithinTheResponseTimeoutMayHaveCreatedTheAction() {
        // given
        client = client(TestProperties.fast().responseTimeout(Duration.ofMillis(200)));
        server.enqueue(new MockResponse.Builder().code(201).body(CREATED).headersDelay(2, TimeUnit.SECONDS).build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.MaybeSent(null, "no response within the response timeout"));
    }

    @Test
    void aClientErrorWithoutTheVendorsEnvelopeNamesTheBaseUrl() {
        // given: a web server's 404 page, as at a wrong base URL
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", "text/html; charset=utf-8")
                .body("<!DOCTYPE html><html><body>Not Found</body></html>").build());

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Systemic(404, server.url("/") + " does not look like the "
                + "Quipteams API: 404 with an HTML page; check quipteams.base-url"));
    }

    @Test
    void aRefusedConnectionWasNotSent() {
        // given: a port nobody listens on any more
        URI deadUrl = server.url("/").uri();
        server.close();
        client = new DeviceActionClient(WebClient.builder(), new ApiEndpoint(deadUrl, ApiKey.of(SECRET_KEY)),
                TestProperties.fast().build(), new RequestPacer(TestProperties.fast().build()));

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.NotSent.class, notSent -> {
            assertThat(notSent.reason()).startsWith("cannot connect").doesNotContain(SECRET_KEY);
            assertThat(notSent.retryAt()).isNull();
        });
    }

    @Test
    void tooManyRequestsPausesThePacerUntilRetryAfter() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
        Instant before = Instant.now();

        // when
        AttemptOutcome outcome = client.create(submission("k")).block(TIMEOUT);

        // then
        assertThat(outcome).isInstanceOf(AttemptOutcome.NotSent.class);
        assertThat(pacer.rateLimitedResponses()).isEqualTo(1);
        assertThat(pacer.pausedUntil()).isAfterOrEqualTo(before.plusSeconds(2));
        assertThat(((AttemptOutcome.NotSent) outcome).retryAt()).isEqualTo(pacer.pausedUntil());
    }

    @Test
    void findsActionsWithTheDocumentedFiltersAcrossPages() throws InterruptedException {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(200).body("""
                {"data": [{"id": "da-1", "action_id": "DA-2026-0015", "action_type": "Store", "status": "In Progress",
                           "device": {"serial_number": "C02X9876WXYZ-2"}, "created_at": "2026-03-07T10:00:01.000Z"}],
                 "meta": {"has_more": true, "next_cursor": "abc+/="}}
                """).build());
        server.enqueue(new MockResponse.Builder().code(200).body("""
                {"data": [{"id": "da-2", "action_id": "DA-2026-0016", "action_type": "Store", "status": "In Progress",
                           "device": {"serial_number": "C02X9876WXYZ"}, "created_at": "2026-03-07T10:00:02.000Z"}],
                 "meta": {"has_more": false, "next_cursor": null}}
                """).build());
        Instant createdAfter = Instant.parse("2026-03-07T09:50:00.123456Z");

        // when
        List<RemoteDeviceAction> actions = client.findActions("C02X9876WXYZ", "Store", createdAfter).block(TIMEOUT);

        // then
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("GET");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/v1/device-actions");
        assertThat(first.getUrl().queryParameter("serial_number")).isEqualTo("C02X9876WXYZ");
        assertThat(first.getUrl().queryParameter("action_type")).isEqualTo("Store");
        assertThat(first.getUrl().queryParameter("created_after")).isEqualTo("2026-03-07T09:50:00.123Z");
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("100");
        assertThat(first.getUrl().queryParameter("cursor")).isNull();
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(second.getUrl().queryParameter("cursor")).isEqualTo("abc+/=");
        assertThat(actions).extracting(RemoteDeviceAction::id).containsExactly("da-1", "da-2");
        assertThat(actions.get(1)).isEqualTo(new RemoteDeviceAction("da-2", "DA-2026-0016", "Store", "In Progress",
                "C02X9876WXYZ", null, Instant.parse("2026-03-07T10:00:02Z")));
    }

    @Test
    void listingThatCannotBeReadIsAnErrorNotAnEmptyResult() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(200).body("<html>maintenance</html>").build());
        server.enqueue(new MockResponse.Builder().code(200)
                .body("{\"data\": [], \"meta\": {\"has_more\": true, \"next_cursor\": null}}").build());
        server.enqueue(new MockResponse.Builder().code(503).build());

        // when / then
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.findActions("SN", "Store", Instant.now()).block(TIMEOUT))
                    .isInstanceOf(QuipteamsCallException.class);
        }
    }

    @Test
    void listingWithARejectedKeyIsSystemic() {
        // given
        client = client(TestProperties.fast());
        server.enqueue(new MockResponse.Builder().code(403).build());

        // when / then
        assertThatThrownBy(() -> client.findActions("SN", "Store", Instant.now()).block(TIMEOUT))
                .isInstanceOf(SystemicFailureException.class)
                .hasMessageContaining("403")
                .hasMessageNotContaining(SECRET_KEY);
    }

    private DeviceActionClient client(TestProperties properties) {
        QuipteamsProperties built = properties.baseUrl(server.url("/").uri()).build();
        pacer = new RequestPacer(built);
        return new DeviceActionClient(WebClient.builder(), new ApiEndpoint(built.baseUrl(), ApiKey.of(SECRET_KEY)),
                built, pacer);
    }

    private static Submission submission(String idempotencyKey) {
        return Submission.firstAttempt(idempotencyKey, "C02X9876WXYZ", "Store", BODY);
    }

}
