package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.http.client.PrematureCloseException;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptOutcomeTests {

    private static final Instant NOW = Instant.parse("2026-03-07T10:00:00Z");

    private static final String CREATED_BODY = """
            {"data": {"id": "da-uuid-002", "action_id": "AST34567890", "action_type": "Store",
              "status": "In Progress", "requested_by": {"name": "API", "email": "john@acme.com"},
              "comments": [], "something_new": 42}}
            """;

    @ParameterizedTest
    @ValueSource(ints = { 200, 201, 202, 204 })
    void anySuccessStatusMeansCreated(int status) {
        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(status, new HttpHeaders(), CREATED_BODY, NOW);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Created("da-uuid-002", "AST34567890", "In Progress", status));
    }

    @Test
    void createdToleratesMissingFieldsAndRequestedByAsAString() {
        // given
        String body = "{\"data\": {\"id\": \"da-uuid-003\", \"requested_by\": \"admin@acme.com\"}}";

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(201, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Created("da-uuid-003", null, null, 201));
    }

    @Test
    void aSuccessWithAnHtmlBodyIsNotASubmission() {
        // given: a proxy, or the wrong host, answered
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.CONTENT_TYPE, "text/html");

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(200, headers, "OK", NOW);

        // then: not created, and not "failed" either (sending again could duplicate the action)
        assertThat(outcome).isEqualTo(new AttemptOutcome.AcceptedWithoutId(200,
                "200 without the device action's id (the body is not JSON, Content-Type text/html)"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"data\": {\"action_id\": \"DA-1\"}}", "{\"data\": {\"id\": \" \"}}", "{\"id\": \"da-1\"}", "" })
    void aSuccessWithoutDataIdIsNotASubmission(String body) {
        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(201, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.AcceptedWithoutId.class,
                accepted -> assertThat(accepted.httpStatus()).isEqualTo(201));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 404, 409, 410, 413, 422 })
    void clientErrorsArePermanentWithTheEnvelopeCodeAndMessage(int status) {
        // given
        String body = "{\"error\": {\"code\": \"SOME_CODE\", \"message\": \"Serial not in inventory\", \"details\": null}}";

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(status, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Permanent(status, "SOME_CODE", "Serial not in inventory"));
    }

    @Test
    void permanentMessageKeepsValidationDetails() {
        // given
        String body = """
                {"error": {"code": "VALIDATION_ERROR", "message": "Invalid body",
                  "details": {"errors": [{"field": "current_user.email", "message": "is required"}]}}}
                """;

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(400, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Permanent.class, permanent -> {
            assertThat(permanent.code()).isEqualTo("VALIDATION_ERROR");
            assertThat(permanent.message()).startsWith("Invalid body (details: ").contains("current_user.email");
        });
    }

    @Test
    void aClientErrorWithAnHtmlPageIsNotTheVendorAnsweringAndStopsTheRun() {
        // given: a web server's own 404 page, as at a wrong base URL
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.TEXT_HTML);

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(404, headers, "<html>Not here</html>", NOW,
                URI.create("https://user:secret@quipteams.example.com/api?x=1"));

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Systemic(404, "https://quipteams.example.com/api does not "
                + "look like the Quipteams API: 404 with an HTML page; check quipteams.base-url"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Not Found", "{\"message\": \"no route\"}", "{\"error\": \"not an object\"}" })
    void aClientErrorWithoutTheErrorEnvelopeIsSystemicWhateverTheBody(String body) {
        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(422, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Systemic.class, systemic -> assertThat(
                systemic.reason()).contains("does not look like the Quipteams API: 422 with", "quipteams.base-url"));
    }

    @Test
    void permanentMessageIsTruncated() {
        // given
        String body = "{\"error\": {\"code\": \"VALIDATION_ERROR\", \"message\": \"" + "x".repeat(5000) + "\"}}";

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(422, new HttpHeaders(), body, NOW);

        // then
        assertThat(((AttemptOutcome.Permanent) outcome).message()).hasSize(AttemptOutcome.MAX_MESSAGE_LENGTH);
    }

    @Test
    void unauthorizedIsSystemicAndSaysWhatToCheck() {
        // given
        String body = "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"Missing or invalid Authorization header\"}}";

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(401, new HttpHeaders(), body, NOW);

        // then
        assertThat(outcome).isEqualTo(new AttemptOutcome.Systemic(401,
                "API key rejected (401 UNAUTHORIZED): check QUIPTEAMS_API_KEY"));
    }

    @Test
    void forbiddenIsSystemic() {
        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(403, new HttpHeaders(), "", NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.Systemic.class,
                systemic -> assertThat(systemic.reason()).contains("403 Forbidden", "scopes"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 500, 502, 503, 504 })
    void serverErrorsAndRequestTimeoutMayHaveCreatedTheAction(int status) {
        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(status, new HttpHeaders(), "", NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.MaybeSent.class,
                maybeSent -> assertThat(maybeSent.httpStatus()).isEqualTo(status));
    }

    @Test
    void tooManyRequestsIsNotSentAndHonoursRetryAfterInSeconds() {
        // given
        HttpHeaders headers = new HttpHeaders();
        headers.add("Retry-After", "7");

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(429, headers, "", NOW);

        // then
        assertThat(outcome).isInstanceOfSatisfying(AttemptOutcome.NotSent.class,
                notSent -> assertThat(notSent.retryAt()).isEqualTo(NOW.plusSeconds(7)));
    }

    @Test
    void tooManyRequestsHonoursRetryAfterAsAnHttpDate() {
        // given
        HttpHeaders headers = new HttpHeaders();
        headers.add("Retry-After", "Sat, 07 Mar 2026 10:00:42 GMT");

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(429, headers, "", NOW);

        // then
        assertThat(((AttemptOutcome.NotSent) outcome).retryAt()).isEqualTo(Instant.parse("2026-03-07T10:00:42Z"));
    }

    @Test
    void tooManyRequestsWithoutRetryAfterFallsBackToTheWindowReset() {
        // given
        HttpHeaders headers = new HttpHeaders();
        headers.add("Retry-After", "soon");
        headers.add("X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(20).toEpochMilli()));

        // when
        AttemptOutcome outcome = AttemptOutcome.fromResponse(429, headers, "", NOW);

        // then
        assertThat(((AttemptOutcome.NotSent) outcome).retryAt()).isEqualTo(NOW.plusSeconds(20));
    }

    @Test
    void failureBeforeTheRequestLeftIsNotSent() {
        // given
        Throwable refused = new ConnectException("Connection refused");
        Throwable connectTimeout = new ConnectTimeoutException("connection timed out after 5000 ms");
        Throwable unknownHost = new UnknownHostException("api.quipteams.invalid");

        // when / then
        assertThat(AttemptOutcome.fromError(refused, false)).isInstanceOf(AttemptOutcome.NotSent.class);
        assertThat(AttemptOutcome.fromError(connectTimeout, false))
                .isEqualTo(new AttemptOutcome.NotSent(null, "connect timeout (connection timed out after 5000 ms)", null));
        assertThat(AttemptOutcome.fromError(unknownHost, false))
                .isEqualTo(new AttemptOutcome.NotSent(null, "unknown host api.quipteams.invalid", null));
    }

    @Test
    void failureAfterTheRequestLeftMayHaveCreatedTheAction() {
        // given
        Throwable timeout = ReadTimeoutException.INSTANCE;
        Throwable reset = new IOException("Connection reset by peer");
        Throwable closed = PrematureCloseException.TEST_EXCEPTION;

        // when / then
        assertThat(AttemptOutcome.fromError(timeout, true))
                .isEqualTo(new AttemptOutcome.MaybeSent(null, "no response within the response timeout"));
        assertThat(AttemptOutcome.fromError(reset, true))
                .isEqualTo(new AttemptOutcome.MaybeSent(null, "I/O error: Connection reset by peer"));
        assertThat(AttemptOutcome.fromError(closed, true))
                .isEqualTo(new AttemptOutcome.MaybeSent(null, "connection closed before the response was complete"));
    }

    @Test
    void describesTheCauseInsideSpringsWrapper() {
        // given
        Throwable wrapped = new WebClientRequestException(new ConnectException("Connection refused: localhost/127.0.0.1:1"),
                org.springframework.http.HttpMethod.POST, java.net.URI.create("http://localhost:1/api/v1/device-actions"),
                new HttpHeaders());

        // when
        String description = AttemptOutcome.describe(wrapped);

        // then
        assertThat(description).isEqualTo("cannot connect (Connection refused: localhost/127.0.0.1:1)");
    }

}
