package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import dev.bulkoffboarding.sandbox.SandboxServer.CreatedAction;
import dev.bulkoffboarding.sandbox.SandboxServer.Fault;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import dev.bulkoffboarding.support.FakeApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox's contract, asserted over real HTTP with the JDK client: what a request gets back
 * and what reached the server.
 */
class SandboxServerTests {

    private static final Instant START = Instant.parse("2026-03-07T10:00:00Z");

    private static final String COLLECTION = "/api/v1/device-actions";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final MutableClock clock = new MutableClock(START);

    private SandboxServer sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO), clock);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    // --- create ---------------------------------------------------------------------------

    @Test
    void createAnswers201WithTheFullDeviceActionObject() {
        // given
        ObjectNode request = aValidRequest("C02X9876WXYZ");

        // when
        HttpResponse<String> response = post(request);

        // then
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode data = body(response).get("data");
        assertThat(UUID.fromString(data.get("id").stringValue()).toString()).isEqualTo(data.get("id").stringValue());
        assertThat(data.get("action_id").stringValue()).matches("DA-2026-\\d{5}");
        assertThat(data.get("action_type").stringValue()).isEqualTo("Store");
        assertThat(data.get("status").stringValue()).isEqualTo("In Progress");
        assertThat(data.get("company").stringValue()).isEqualTo("Sandbox Corp");
        JsonNode device = data.get("device");
        assertThat(device.get("serial_number").stringValue()).isEqualTo("C02X9876WXYZ");
        assertThat(device.get("model").stringValue()).isNotBlank();
        assertThat(device.get("type").stringValue()).isNotBlank();
        assertThat(device.get("country").stringValue()).isNotBlank();
        assertThat(data.get("current_user")).isEqualTo(request.get("current_user"));
        assertThat(data.get("new_recipient").isNull()).isTrue();
        assertThat(data.get("wipe").isBoolean()).isTrue();
        assertThat(data.get("wipe").booleanValue()).isTrue();
        assertThat(data.get("wipe_completed").booleanValue()).isFalse();
        assertThat(data.get("tracking_code").isNull()).isTrue();
        assertThat(data.get("tracking_link").isNull()).isTrue();
        assertThat(data.get("notes").stringValue()).isEqualTo("Employee leaving March 15th");
        assertThat(data.get("status_timestamps").isObject()).isTrue();
        assertThat(data.get("status_timestamps").isEmpty()).isTrue();
        assertThat(data.get("notification_emails")).isEqualTo(request.get("notification_emails"));
        assertThat(data.get("batch_id").isNull()).isTrue();
        assertThat(data.get("requested_by").get("name").stringValue()).isEqualTo("API");
        assertThat(data.get("requested_by").get("email").stringValue()).isEqualTo("john@acme.com");
        assertThat(data.get("user_email").stringValue()).isEqualTo("john@acme.com");
        assertThat(data.get("comments").isArray()).isTrue();
        assertThat(data.get("comments").isEmpty()).isTrue();
        assertThat(data.get("created_at").stringValue()).isEqualTo("2026-03-07T10:00:00.000Z");
        assertThat(data.get("updated_at").stringValue()).isEqualTo("2026-03-07T10:00:00.000Z");
    }

    @Test
    void createRecordsWhatReachedTheServer() {
        // given
        ObjectNode request = aValidRequest("C02X9876WXYZ");

        // when
        HttpResponse<String> response = post(request);

        // then
        JsonNode data = body(response).get("data");
        assertThat(sandbox.createdActions()).singleElement().satisfies(created -> {
            assertThat(created.id()).isEqualTo(data.get("id").stringValue());
            assertThat(created.actionId()).isEqualTo(data.get("action_id").stringValue());
            assertThat(created.serialNumber()).isEqualTo("C02X9876WXYZ");
            assertThat(created.actionType()).isEqualTo("Store");
            assertThat(created.idempotencyKey()).isNull();
            assertThat(JSON.readTree(created.body())).isEqualTo(request);
            assertThat(created.createdAt()).isEqualTo(START);
        });
        assertThat(sandbox.createdCount("C02X9876WXYZ", "store")).isEqualTo(1);
        assertThat(sandbox.requests()).singleElement().satisfies(logged -> {
            assertThat(logged.method()).isEqualTo("POST");
            assertThat(logged.pathAndQuery()).isEqualTo(COLLECTION);
            assertThat(logged.status()).isEqualTo(201);
            assertThat(logged.receivedAt()).isEqualTo(START);
        });
    }

    @Test
    void createDefaultsWipeToFalseAndNotificationEmailsToEmpty() {
        // given
        ObjectNode request = aValidRequest("SN-1");
        request.remove(List.of("wipe", "notes", "notification_emails"));

        // when
        JsonNode data = body(post(request)).get("data");

        // then
        assertThat(data.get("wipe").booleanValue()).isFalse();
        assertThat(data.get("notes").isNull()).isTrue();
        assertThat(data.get("notification_emails").isArray()).isTrue();
        assertThat(data.get("notification_emails").isEmpty()).isTrue();
    }

    @Test
    void createAcceptsAssignWithANewRecipient() {
        // given
        ObjectNode request = aValidRequest("SN-1").put("action_type", "Assign");
        request.putObject("new_recipient").put("name", "Jane Roe").put("email", "jane@acme.com");

        // when
        HttpResponse<String> response = post(request);

        // then
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode recipient = body(response).get("data").get("new_recipient");
        assertThat(recipient.get("name").stringValue()).isEqualTo("Jane Roe");
        assertThat(recipient.get("email").stringValue()).isEqualTo("jane@acme.com");
    }

    @Test
    void createNumbersActionIdsSequentially() {
        // given
        post(aValidRequest("SN-1"));

        // when
        HttpResponse<String> second = post(aValidRequest("SN-2"));

        // then
        assertThat(body(second).get("data").get("action_id").stringValue()).isEqualTo("DA-2026-00002");
        assertThat(sandbox.createdActions()).extracting(CreatedAction::actionId)
            .containsExactly("DA-2026-00001", "DA-2026-00002");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void createRejectsAnInvalidBodyNamingTheField(String problem, Consumer<ObjectNode> change, String field,
            String message) {
        // given
        ObjectNode request = aValidRequest("SN-1");
        change.accept(request);

        // when
        HttpResponse<String> response = post(request);

        // then
        assertError(response, 400, "VALIDATION_ERROR");
        assertThat(fieldErrors(response)).containsExactly(new FieldError(field, message));
        assertThat(sandbox.createdActions()).isEmpty();
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                invalid("missing action_type", r -> r.remove("action_type"), "action_type", "is required"),
                invalid("numeric action_type", r -> r.put("action_type", 3), "action_type", "must be a string"),
                invalid("null serial_number", r -> r.putNull("serial_number"), "serial_number", "is required"),
                invalid("blank serial_number", r -> r.put("serial_number", "  "), "serial_number",
                        "must not be blank"),
                invalid("missing current_user", r -> r.remove("current_user"), "current_user", "is required"),
                invalid("current_user as a string", r -> r.put("current_user", "John Doe"), "current_user",
                        "must be an object"),
                invalid("missing current_user.email", r -> currentUser(r).remove("email"), "current_user.email",
                        "is required"),
                invalid("blank current_user.name", r -> currentUser(r).put("name", ""), "current_user.name",
                        "must not be blank"),
                invalid("current_user.email not an address", r -> currentUser(r).put("email", "john"),
                        "current_user.email", "must be an email address"),
                invalid("numeric current_user.phone", r -> currentUser(r).put("phone", 5550100),
                        "current_user.phone", "must be a string"),
                invalid("unknown current_user field", r -> currentUser(r).put("mail", "john@acme.com"),
                        "current_user.mail", "is not a recognised field"),
                invalid("Assign without new_recipient", r -> r.put("action_type", "Assign"), "new_recipient",
                        "is required for Assign and Reassign"),
                invalid("reassign (lower case) without new_recipient", r -> r.put("action_type", "reassign"),
                        "new_recipient", "is required for Assign and Reassign"),
                invalid("new_recipient without email", r -> r.putObject("new_recipient").put("name", "Jane"),
                        "new_recipient.email", "is required"),
                invalid("wipe as a string", r -> r.put("wipe", "true"), "wipe", "must be a boolean"),
                invalid("notes as a number", r -> r.put("notes", 15), "notes", "must be a string"),
                invalid("notification_emails as a string", r -> r.put("notification_emails", "it@acme.com"),
                        "notification_emails", "must be an array of strings"),
                invalid("notification_emails with a number", r -> r.putArray("notification_emails").add(1),
                        "notification_emails[0]", "must be a string"),
                invalid("misspelt top-level field", r -> r.put("wipe_device", true), "wipe_device",
                        "is not a recognised field"),
                invalid("camelCase top-level field", r -> r.put("serialNumber", "SN-1"), "serialNumber",
                        "is not a recognised field"));
    }

    @Test
    void createReportsEveryProblemAtOnce() {
        // given
        ObjectNode request = JSON.createObjectNode();

        // when
        HttpResponse<String> response = post(request);

        // then
        assertError(response, 400, "VALIDATION_ERROR");
        assertThat(fieldErrors(response)).containsExactly(new FieldError("action_type", "is required"),
                new FieldError("serial_number", "is required"), new FieldError("current_user", "is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not json", "{\"action_type\": \"Store\",", "[1, 2]",
            "{\"action_type\":\"Store\",\"action_type\":\"Assign\"}", "{} {}" })
    void createRejectsABodyThatIsNotOneJsonObject(String body) {
        // when
        HttpResponse<String> response = post(body);

        // then
        assertError(response, 400, "VALIDATION_ERROR");
        assertThat(fieldErrors(response)).extracting(FieldError::field).containsExactly("body");
        assertThat(sandbox.createdActions()).isEmpty();
    }

    @Test
    void createRequiresJsonContentType() {
        // given
        HttpRequest withoutContentType = request(COLLECTION)
            .POST(BodyPublishers.ofString(aValidRequest("SN-1").toString()))
            .build();
        HttpRequest asText = request(COLLECTION).header("Content-Type", "text/plain")
            .POST(BodyPublishers.ofString(aValidRequest("SN-2").toString()))
            .build();
        HttpRequest withCharset = request(COLLECTION).header("Content-Type", "application/json; charset=UTF-8")
            .POST(BodyPublishers.ofString(aValidRequest("SN-3").toString()))
            .build();

        // when
        HttpResponse<String> missing = send(withoutContentType);
        HttpResponse<String> text = send(asText);
        HttpResponse<String> json = send(withCharset);

        // then
        assertError(missing, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(json.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-3");
    }

    @ParameterizedTest
    @ValueSource(strings = { "UNKNOWN-123", "notinv-42" })
    void createAnswers404ForASerialNotInTheInventory(String serial) {
        // when
        HttpResponse<String> response = post(aValidRequest(serial));

        // then
        assertError(response, 404, "NOT_FOUND");
        assertThat(body(response).get("error").get("message").stringValue())
            .isEqualTo("No device with serial number " + serial + " in your inventory");
        assertThat(sandbox.createdActions()).isEmpty();
    }

    @Test
    void createRecordsTheIdempotencyKeyButDoesNotHonourIt() {
        // given
        HttpRequest request = postRequest(aValidRequest("SN-1")).header("Idempotency-Key", "run-7-line-2").build();

        // when
        HttpResponse<String> first = send(request);
        HttpResponse<String> second = send(request);

        // then
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(body(second).get("data").get("id")).isNotEqualTo(body(first).get("data").get("id"));
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(2);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::idempotencyKey)
            .containsExactly("run-7-line-2", "run-7-line-2");
        assertThat(sandbox.requests()).extracting(LoggedRequest::idempotencyKey)
            .containsExactly("run-7-line-2", "run-7-line-2");
    }

    // --- authentication -------------------------------------------------------------------

    @Test
    void rejectsARequestWithoutAuthorization() {
        // given
        HttpRequest request = HttpRequest.newBuilder(uri(COLLECTION)).GET().build();

        // when
        HttpResponse<String> response = send(request);

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(body(response)).isEqualTo(JSON.readTree("""
                {"error": {"code": "UNAUTHORIZED",
                           "message": "Missing or invalid Authorization header",
                           "details": null}}
                """));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer qk_prod_abc", "Bearer qk_live_", "Bearer sk_live_abc", "Basic qk_test_sandbox",
            "qk_test_sandbox", "Bearer qk_test_abc-def" })
    void rejectsAMalformedKey(String authorization) {
        // given
        HttpRequest request = HttpRequest.newBuilder(uri(COLLECTION)).header("Authorization", authorization)
            .GET()
            .build();

        // when
        HttpResponse<String> response = send(request);

        // then
        assertError(response, 401, "UNAUTHORIZED");
    }

    static Stream<String> wellFormedKeys() {
        return Stream.of(FakeApiKeys.live(), "qk_test_some_key_9");
    }

    @ParameterizedTest
    @MethodSource("wellFormedKeys")
    void acceptsAnyWellFormedLiveOrTestKey(String key) {
        // when
        HttpResponse<String> response = send(postRequest(aValidRequest("SN-1"), key).build());

        // then
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void rejectsARevokedKeyAndNoOther() {
        // given
        String revokedKey = FakeApiKeys.live();
        sandbox.revokeKey(revokedKey);

        // when
        HttpResponse<String> revoked = send(postRequest(aValidRequest("SN-1"), revokedKey).build());
        HttpResponse<String> other = post(aValidRequest("SN-2"));

        // then
        assertError(revoked, 401, "UNAUTHORIZED");
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-2");
    }

    @Test
    void neverLogsTheAuthorizationValue() {
        // given
        String key = FakeApiKeys.live();
        send(postRequest(aValidRequest("SN-1"), key).build());

        // when
        List<LoggedRequest> requests = sandbox.requests();

        // then
        assertThat(requests).hasSize(1);
        assertThat(requests.toString()).doesNotContain(key);
    }

    // --- list -----------------------------------------------------------------------------

    @Test
    void listFiltersBySerialPartiallyAndIgnoringCase() {
        // given
        post(aValidRequest("C02X9876WXYZ"));
        post(aValidRequest("C02Y1111ABCD"));
        post(aValidRequest("FVFX0000QQQQ"));

        // when
        JsonNode list = body(get(COLLECTION + "?serial_number=02x98"));

        // then
        assertThat(serials(list)).containsExactly("C02X9876WXYZ");
        assertThat(serials(body(get(COLLECTION + "?serial_number=c02")))).containsExactly("C02Y1111ABCD",
                "C02X9876WXYZ");
    }

    @Test
    void listFiltersByActionTypeIgnoringCaseAndByStatus() {
        // given
        post(aValidRequest("SN-1"));
        ObjectNode retrieval = aValidRequest("SN-2").put("action_type", "Retrieval");
        post(retrieval);

        // when
        JsonNode byType = body(get(COLLECTION + "?action_type=retrieval"));
        JsonNode byStatus = body(get(COLLECTION + "?status=In%20Progress"));
        JsonNode byOtherStatus = body(get(COLLECTION + "?status=Delivered"));

        // then
        assertThat(serials(byType)).containsExactly("SN-2");
        assertThat(serials(byStatus)).containsExactly("SN-2", "SN-1");
        assertThat(serials(byOtherStatus)).isEmpty();
    }

    @Test
    void listTreatsCreatedAfterAndCreatedBeforeAsExclusiveBounds() {
        // given
        String first = createdAt(post(aValidRequest("SN-1")));
        clock.advance(Duration.ofSeconds(1));
        post(aValidRequest("SN-2"));
        clock.advance(Duration.ofSeconds(1));
        String third = createdAt(post(aValidRequest("SN-3")));

        // when
        JsonNode after = body(get(COLLECTION + "?created_after=" + first));
        JsonNode before = body(get(COLLECTION + "?created_before=" + third));
        JsonNode between = body(get(COLLECTION + "?created_after=" + first + "&created_before=" + third));
        JsonNode withOffset = body(get(COLLECTION + "?created_after=2026-03-07T11:00:00.500%2B01:00"));

        // then
        assertThat(serials(after)).containsExactly("SN-3", "SN-2");
        assertThat(serials(before)).containsExactly("SN-2", "SN-1");
        assertThat(serials(between)).containsExactly("SN-2");
        assertThat(serials(withOffset)).containsExactly("SN-3", "SN-2");
    }

    @Test
    void listSortsNewestFirstByDefaultAndOldestFirstOnRequest() {
        // given
        post(aValidRequest("SN-1"));
        clock.advance(Duration.ofSeconds(1));
        post(aValidRequest("SN-2"));

        // when
        JsonNode byDefault = body(get(COLLECTION));
        JsonNode oldestFirst = body(get(COLLECTION + "?sort=created_at"));

        // then
        assertThat(serials(byDefault)).containsExactly("SN-2", "SN-1");
        assertThat(serials(oldestFirst)).containsExactly("SN-1", "SN-2");
    }

    @Test
    void listPagesThroughEveryActionWithTheCursor() {
        // given
        for (int i = 1; i <= 5; i++) {
            post(aValidRequest("SN-" + i));
            clock.advance(Duration.ofSeconds(1));
        }

        // when
        List<List<String>> ascending = pages("sort=created_at&limit=2");
        List<List<String>> descending = pages("limit=2");

        // then
        assertThat(ascending).containsExactly(List.of("SN-1", "SN-2"), List.of("SN-3", "SN-4"), List.of("SN-5"));
        assertThat(descending).containsExactly(List.of("SN-5", "SN-4"), List.of("SN-3", "SN-2"), List.of("SN-1"));
    }

    @Test
    void listEndsWithoutANextCursor() {
        // given
        post(aValidRequest("SN-1"));

        // when
        JsonNode list = body(get(COLLECTION));

        // then
        assertThat(list.get("meta").get("has_more").booleanValue()).isFalse();
        assertThat(list.get("meta").get("next_cursor").isNull()).isTrue();
    }

    @Test
    void listDefaultsToPagesOf25() {
        // given
        for (int i = 1; i <= 26; i++) {
            post(aValidRequest("SN-" + i));
        }

        // when
        JsonNode list = body(get(COLLECTION));

        // then
        assertThat(list.get("data").size()).isEqualTo(25);
        assertThat(list.get("meta").get("has_more").booleanValue()).isTrue();
        assertThat(list.get("meta").get("next_cursor").stringValue()).isNotBlank();
    }

    @Test
    void listItemsCarryTheListFieldsOnly() {
        // given
        post(aValidRequest("SN-1"));

        // when
        JsonNode item = body(get(COLLECTION)).get("data").get(0);

        // then
        assertThat(item.propertyNames()).containsExactlyInAnyOrder("id", "action_id", "action_type", "status",
                "company", "device", "current_user", "new_recipient", "wipe", "wipe_completed", "tracking_code",
                "tracking_link", "created_at", "updated_at");
    }

    @ParameterizedTest
    @ValueSource(strings = { "limit=0", "limit=101", "limit=ten", "created_after=yesterday",
            "created_before=2026-13-01", "cursor=bm90LWEtY3Vyc29y", "sort=serial_number" })
    void listRejectsInvalidQueryParameters(String query) {
        // when
        HttpResponse<String> response = get(COLLECTION + "?" + query);

        // then
        assertError(response, 400, "VALIDATION_ERROR");
        assertThat(fieldErrors(response)).extracting(FieldError::field)
            .containsExactly(query.substring(0, query.indexOf('=')));
    }

    // --- get ------------------------------------------------------------------------------

    @Test
    void getFindsAnActionByIdAndByActionId() {
        // given
        JsonNode created = body(post(aValidRequest("SN-1"))).get("data");

        // when
        HttpResponse<String> byId = get(COLLECTION + "/" + created.get("id").stringValue());
        HttpResponse<String> byActionId = get(COLLECTION + "/" + created.get("action_id").stringValue());

        // then
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(body(byId).get("data")).isEqualTo(created);
        assertThat(byActionId.statusCode()).isEqualTo(200);
        assertThat(body(byActionId).get("data")).isEqualTo(created);
    }

    @Test
    void getAnswers404ForAnUnknownId() {
        // when
        HttpResponse<String> response = get(COLLECTION + "/DA-2026-99999");

        // then
        assertError(response, 404, "NOT_FOUND");
    }

    // --- routing --------------------------------------------------------------------------

    @Test
    void answers404ForAnUnknownPath() {
        // when
        HttpResponse<String> response = get("/api/v1/quotes");

        // then
        assertError(response, 404, "NOT_FOUND");
    }

    @Test
    void answers405ForAWrongMethod() {
        // given
        HttpRequest delete = request(COLLECTION).DELETE().build();
        HttpRequest postToItem = request(COLLECTION + "/some-id").header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString("{}"))
            .build();

        // when
        HttpResponse<String> onCollection = send(delete);
        HttpResponse<String> onItem = send(postToItem);

        // then
        assertError(onCollection, 405, "METHOD_NOT_ALLOWED");
        assertThat(onCollection.headers().firstValue("Allow")).hasValue("GET, POST");
        assertError(onItem, 405, "METHOD_NOT_ALLOWED");
        assertThat(onItem.headers().firstValue("Allow")).hasValue("GET");
    }

    // --- rate limit -----------------------------------------------------------------------

    @Test
    void rateLimitAnswers429WithRetryAfterOnceTheBudgetIsSpent() {
        // given
        sandbox.setRequestsPerMinute(2);
        String windowEnd = Long.toString(START.plusSeconds(60).toEpochMilli());

        // when
        HttpResponse<String> first = post(aValidRequest("SN-1"));
        HttpResponse<String> second = get(COLLECTION);
        HttpResponse<String> third = post(aValidRequest("SN-3"));

        // then
        assertRateHeaders(first, "2", "1", windowEnd);
        assertRateHeaders(second, "2", "0", windowEnd);
        assertError(third, 429, "RATE_LIMITED");
        assertRateHeaders(third, "2", "0", windowEnd);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(first.headers().firstValue("Retry-After")).isEmpty();
        assertThat(sandbox.createdCount("SN-3", "Store")).isZero();
    }

    @Test
    void rateLimitRoundsRetryAfterUpToWholeSeconds() {
        // given
        sandbox.setRequestsPerMinute(1);
        post(aValidRequest("SN-1"));
        clock.advance(Duration.ofMillis(30_500));

        // when
        HttpResponse<String> response = post(aValidRequest("SN-2"));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
    }

    @Test
    void rateLimitOpensAFreshWindowAfterAMinute() {
        // given
        sandbox.setRequestsPerMinute(1);
        post(aValidRequest("SN-1"));
        assertThat(post(aValidRequest("SN-2")).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(60));

        // when
        HttpResponse<String> response = post(aValidRequest("SN-3"));

        // then
        assertThat(response.statusCode()).isEqualTo(201);
        assertRateHeaders(response, "1", "0", Long.toString(START.plusSeconds(120).toEpochMilli()));
    }

    @Test
    void rateLimitBudgetsEachKeySeparately() {
        // given
        sandbox.setRequestsPerMinute(1);
        String first = FakeApiKeys.live();
        send(postRequest(aValidRequest("SN-1"), first).build());

        // when
        HttpResponse<String> sameKey = send(postRequest(aValidRequest("SN-2"), first).build());
        HttpResponse<String> otherKey = send(postRequest(aValidRequest("SN-3"), FakeApiKeys.live()).build());

        // then
        assertThat(sameKey.statusCode()).isEqualTo(429);
        assertThat(otherKey.statusCode()).isEqualTo(201);
    }

    @Test
    void rateLimitHeadersAreOnErrorResponsesToo() {
        // given
        HttpRequest unauthenticated = HttpRequest.newBuilder(uri(COLLECTION)).GET().build();

        // when
        List<HttpResponse<String>> responses = List.of(send(unauthenticated), post(aValidRequest("UNKNOWN-1")),
                post(JSON.createObjectNode()), get("/nowhere"));

        // then
        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(401, 404, 400, 404);
        assertThat(responses).allSatisfy(response -> assertThat(response.headers().map()).containsKeys(
                "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"));
    }

    @Test
    void rateLimitOfZeroMeansUnlimited() {
        // given
        sandbox.setRequestsPerMinute(0);

        // when
        List<Integer> statuses = IntStream.range(0, 20).mapToObj(i -> get(COLLECTION).statusCode()).toList();
        HttpResponse<String> last = get(COLLECTION);

        // then
        assertThat(statuses).containsOnly(200);
        assertThat(last.headers().firstValue("X-RateLimit-Limit")).hasValue("1000000");
    }

    @Test
    void aRealLimitBehindTheAdvertisedOneRefusesWhatTheHeadersWouldAllow() {
        // given: 600 per minute advertised, a token bucket of 2 per second (burst 2) enforced
        sandbox.close();
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO).withRealLimit(2, 2),
                clock);
        String windowEnd = Long.toString(START.plusSeconds(60).toEpochMilli());

        // when: three at once, then one 499 ms later, then one 500 ms after the first
        List<HttpResponse<String>> atOnce = List.of(post(aValidRequest("SN-1")), post(aValidRequest("SN-2")),
                post(aValidRequest("SN-3")));
        clock.advance(Duration.ofMillis(499));
        HttpResponse<String> tooEarly = post(aValidRequest("SN-4"));
        clock.advance(Duration.ofMillis(1));
        HttpResponse<String> afterAToken = post(aValidRequest("SN-5"));

        // then: the refused ones spend no advertised budget; Retry-After says when a token comes
        assertThat(atOnce).extracting(HttpResponse::statusCode).containsExactly(201, 201, 429);
        assertError(atOnce.get(2), 429, "RATE_LIMITED");
        assertRateHeaders(atOnce.get(2), "600", "598", windowEnd);
        assertThat(atOnce.get(2).headers().firstValue("Retry-After")).hasValue("1");
        assertThat(tooEarly.statusCode()).isEqualTo(429);
        assertThat(afterAToken.statusCode()).isEqualTo(201);
        assertRateHeaders(afterAToken, "600", "597", windowEnd);
        assertThat(sandbox.createdCount("SN-3", "Store")).isZero();
    }

    // --- faults ---------------------------------------------------------------------------

    @Test
    void failBeforeCreateAnswers500AndCreatesNothing() {
        // given
        sandbox.enqueueFaults(Fault.FAIL_BEFORE_CREATE);

        // when
        HttpResponse<String> failed = post(aValidRequest("SN-1"));
        HttpResponse<String> next = post(aValidRequest("SN-2"));

        // then
        assertError(failed, 500, "INTERNAL_ERROR");
        assertThat(next.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-2");
    }

    @Test
    void failAfterCreateAnswers500ButCreatesTheAction() {
        // given
        sandbox.enqueueFaults(Fault.FAIL_AFTER_CREATE);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));

        // then
        assertError(response, 500, "INTERNAL_ERROR");
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(1);
        assertThat(serials(body(get(COLLECTION + "?serial_number=SN-1")))).containsExactly("SN-1");
    }

    @Test
    void delayAfterCreateHoldsTheResponseUntilTheClientTimesOut() {
        // given
        sandbox.enqueueFaults(Fault.DELAY_AFTER_CREATE);
        HttpRequest request = postRequest(aValidRequest("SN-1")).timeout(Duration.ofMillis(300)).build();

        // when / then
        assertThatThrownBy(() -> HTTP.send(request, BodyHandlers.ofString()))
            .isInstanceOf(HttpTimeoutException.class);
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(1);
        assertThat(sandbox.inFlight()).isEqualTo(1);
    }

    @Test
    void resetAfterCreateClosesTheConnectionWithoutAResponse() {
        // given
        sandbox.enqueueFaults(Fault.RESET_AFTER_CREATE);
        HttpRequest request = postRequest(aValidRequest("SN-1")).build();

        // when / then
        assertThatThrownBy(() -> HTTP.send(request, BodyHandlers.ofString())).isInstanceOf(IOException.class);
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(1);
        assertThat(sandbox.requests()).extracting(LoggedRequest::status).containsExactly(0);
    }

    @Test
    void htmlOkAfterCreateAnswers200HtmlButCreatesTheAction() {
        // given
        sandbox.enqueueFaults(Fault.HTML_OK_AFTER_CREATE);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).isEqualTo("OK");
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(1);
    }

    @Test
    void htmlOkWithoutCreateAnswers200HtmlAndCreatesNothing() {
        // given
        sandbox.enqueueFaults(Fault.HTML_OK_WITHOUT_CREATE);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("OK");
        assertThat(sandbox.createdActions()).isEmpty();
        assertThat(sandbox.requests()).extracting(LoggedRequest::status).containsExactly(200);
    }

    @Test
    void aCreationDelayCreatesTheActionLaterAndAnswersOnlyThen() {
        // given
        sandbox.setCreationDelay(Duration.ofMillis(400));
        HttpRequest impatient = postRequest(aValidRequest("SN-1")).timeout(Duration.ofMillis(150)).build();

        // when
        assertThatThrownBy(() -> HTTP.send(impatient, BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        boolean createdWhenTheClientGaveUp = sandbox.createdCount("SN-1", "Store") > 0;
        HttpResponse<String> patient = post(aValidRequest("SN-2"));

        // then
        assertThat(createdWhenTheClientGaveUp).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.createdCount("SN-1", "Store") == 1);
        assertThat(patient.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdCount("SN-2", "Store")).isEqualTo(1);
    }

    @Test
    void aGatewayTimeoutAnswers504AtOnceAndCreatesTheActionAfterTheCreationDelay() {
        // given
        sandbox.setCreationDelay(Duration.ofMillis(300));
        sandbox.enqueueFaults(Fault.GATEWAY_TIMEOUT_CREATE_LATER);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));
        boolean createdWhenAnswered = sandbox.createdCount("SN-1", "Store") > 0;

        // then
        assertError(response, 504, "GATEWAY_TIMEOUT");
        assertThat(createdWhenAnswered).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.createdCount("SN-1", "Store") == 1);
    }

    @Test
    void aListLagHidesActionsUntilTheyAreOldEnough() {
        // given
        sandbox.setListLag(Duration.ofSeconds(10));
        HttpResponse<String> created = post(aValidRequest("SN-1"));
        String id = body(created).get("data").get("id").stringValue();

        // when
        JsonNode early = body(get(COLLECTION + "?serial_number=SN-1"));
        HttpResponse<String> byId = get(COLLECTION + "/" + id);
        clock.advance(Duration.ofSeconds(10));
        JsonNode late = body(get(COLLECTION + "?serial_number=SN-1"));

        // then
        assertThat(serials(early)).isEmpty();
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(serials(late)).containsExactly("SN-1");
    }

    @Test
    void aSeededActionIsListedWithItsOwnCreationTimeAndNoIdempotencyKey() {
        // given
        ObjectNode elsewhere = aValidRequest("SN-1").put("wipe", false);

        // when
        CreatedAction seeded = sandbox.seedAction(elsewhere.toString(), START.minus(Duration.ofMinutes(5)));
        post(aValidRequest("SN-1"));

        // then
        JsonNode list = body(get(COLLECTION + "?serial_number=SN-1&sort=created_at"));
        assertThat(list.get("data").get(0).get("id").stringValue()).isEqualTo(seeded.id());
        assertThat(list.get("data").get(0).get("created_at").stringValue()).isEqualTo("2026-03-07T09:55:00.000Z");
        assertThat(list.get("data").get(0).get("wipe").booleanValue()).isFalse();
        assertThat(list.get("data").get(1).get("wipe").booleanValue()).isTrue();
        assertThat(sandbox.createdActions()).extracting(CreatedAction::idempotencyKey).first().isNull();
        assertThat(sandbox.requests()).hasSize(2);
    }

    @Test
    void seedingRefusesAnActionThatWouldComeBeforeOneAlreadyCreated() {
        // given
        post(aValidRequest("SN-1"));

        // when / then
        assertThatThrownBy(() -> sandbox.seedAction(aValidRequest("SN-2").toString(), START.minusSeconds(1)))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sandbox.seedAction("{\"action_type\": \"Store\"}", START))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetEndsACreationDelayAndAListLag() {
        // given
        sandbox.setCreationDelay(Duration.ofSeconds(30));
        sandbox.setListLag(Duration.ofSeconds(30));

        // when
        sandbox.reset();
        HttpResponse<String> created = post(aValidRequest("SN-1"));

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(serials(body(get(COLLECTION + "?serial_number=SN-1")))).containsExactly("SN-1");
    }

    @Test
    void rateLimitFaultAnswers429WithRetryAfterTwoAndCreatesNothing() {
        // given
        sandbox.enqueueFaults(Fault.RATE_LIMIT);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));

        // then
        assertError(response, 429, "RATE_LIMITED");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(sandbox.createdActions()).isEmpty();
    }

    @Test
    void queuedFaultsApplyToTheNextPostsInOrder() {
        // given
        sandbox.enqueueFaults(Fault.FAIL_BEFORE_CREATE, Fault.FAIL_AFTER_CREATE);

        // when
        HttpResponse<String> listing = get(COLLECTION);
        List<Integer> statuses = IntStream.rangeClosed(1, 3)
            .mapToObj(i -> post(aValidRequest("SN-" + i)).statusCode())
            .toList();

        // then
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(statuses).containsExactly(500, 500, 201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-2", "SN-3");
    }

    @Test
    void failureRatiosAreReproducibleForASeed() {
        // given
        SandboxProperties flaky = SandboxProperties.defaults()
            .withLatency(Duration.ZERO)
            .withFailureRatios(0.3, 0.3)
            .withSeed(7);

        // when
        List<Integer> firstRun = statusesOfTwentyCreates(flaky);
        List<Integer> secondRun = statusesOfTwentyCreates(flaky);
        List<Integer> otherSeed = statusesOfTwentyCreates(flaky.withSeed(8));

        // then
        assertThat(firstRun).contains(201, 500).isEqualTo(secondRun).isNotEqualTo(otherSeed);
    }

    @Test
    void failAfterCreateRatioCreatesTheActionsItFails() {
        // given
        sandbox.close();
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO).withFailureRatios(0, 1),
                clock);

        // when
        HttpResponse<String> response = post(aValidRequest("SN-1"));

        // then
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(sandbox.createdCount("SN-1", "Store")).isEqualTo(1);
    }

    @Test
    void outageAnswers503UntilItEnds() {
        // given
        sandbox.outage(Duration.ofSeconds(30));

        // when
        HttpResponse<String> during = post(aValidRequest("SN-1"));
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> after = post(aValidRequest("SN-2"));

        // then
        assertError(during, 503, "SERVICE_UNAVAILABLE");
        assertThat(during.headers().firstValue("X-RateLimit-Limit")).isPresent();
        assertThat(after.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-2");
    }

    // --- latency and concurrency ----------------------------------------------------------

    @Test
    void latencyDelaysEveryResponse() {
        // given
        sandbox.setLatency(Duration.ofMillis(300));
        long started = System.nanoTime();

        // when
        HttpResponse<String> response = get(COLLECTION);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void fiftyConcurrentPostsCreateExactlyOneActionEach() throws Exception {
        // given
        sandbox.setLatency(Duration.ofMillis(50));
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                String serial = "SN-" + i;
                statuses.add(threads.submit(() -> {
                    startGate.await();
                    return post(aValidRequest(serial)).statusCode();
                }));
            }

            // when
            startGate.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(30, TimeUnit.SECONDS));
            }

            // then
            assertThat(answered).hasSize(50).containsOnly(201);
        }
        finally {
            threads.shutdownNow();
        }
        List<CreatedAction> created = sandbox.createdActions();
        assertThat(created).hasSize(50);
        assertThat(created).extracting(CreatedAction::serialNumber).doesNotHaveDuplicates();
        assertThat(created).extracting(CreatedAction::actionId).doesNotHaveDuplicates();
        assertThat(created).extracting(CreatedAction::id).doesNotHaveDuplicates();
        IntStream.range(0, 50).forEach(i -> assertThat(sandbox.createdCount("SN-" + i, "Store")).isEqualTo(1));
    }

    @Test
    void aRequestIsNoLongerInFlightOnceItsAnswerHasArrived() {
        // given: no budget, so every request is answered at once
        sandbox.setRequestsPerMinute(0);

        // when: one request after another on one connection, each sent as soon as the last answer is in
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = post(aValidRequest("SN-" + i));

            // then: the count the benchmark reports never holds an answered request
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(sandbox.inFlight()).isZero();
        }
        assertThat(sandbox.peakInFlight()).isEqualTo(1);
    }

    @Test
    void holdsTwoHundredSlowRequestsInFlightAtOnce() {
        // given: answers held far longer than the test, so every request stays in flight
        sandbox.setRequestsPerMinute(0);
        sandbox.setLatency(Duration.ofSeconds(60));

        // when
        List<CompletableFuture<HttpResponse<String>>> pending = IntStream.range(0, 200)
            .mapToObj(i -> HTTP.sendAsync(postRequest(aValidRequest("SN-" + i)).build(), BodyHandlers.ofString()))
            .toList();

        // then: with a small pool blocked by the latency, fewer than 200 could ever be in flight
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.inFlight() == 200);
        assertThat(sandbox.peakInFlight()).isEqualTo(200);
        assertThat(sandbox.createdActions()).hasSize(200);
        pending.forEach(response -> response.cancel(true));
    }

    // --- lifecycle ------------------------------------------------------------------------

    @Test
    void resetForgetsActionsLogsFaultsRevocationsAndOutages() {
        // given
        post(aValidRequest("SN-1"));
        sandbox.revokeKey(SandboxServer.sandboxKey());
        sandbox.enqueueFaults(Fault.FAIL_BEFORE_CREATE);
        sandbox.outage(Duration.ofMinutes(5));

        // when
        sandbox.reset();
        HttpResponse<String> response = post(aValidRequest("SN-2"));

        // then
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(sandbox.createdActions()).extracting(CreatedAction::serialNumber).containsExactly("SN-2");
        assertThat(sandbox.requests()).hasSize(1);
        assertThat(body(get(COLLECTION + "/DA-2026-00001")).get("error").get("code").stringValue())
            .isEqualTo("NOT_FOUND");
    }

    @Test
    void closeStopsListening() {
        // given
        URI base = sandbox.baseUri();

        // when
        sandbox.close();
        sandbox.close();

        // then
        HttpRequest request = HttpRequest.newBuilder(base.resolve(COLLECTION)).GET().build();
        assertThatThrownBy(() -> HTTP.send(request, BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void listensOnTheLoopbackAddress() {
        // when
        URI base = sandbox.baseUri();

        // then
        assertThat(base.getScheme()).isEqualTo("http");
        assertThat(base.getHost()).isEqualTo("127.0.0.1");
        assertThat(base.getPort()).isPositive();
    }

    // --- helpers --------------------------------------------------------------------------

    static ObjectNode aValidRequest(String serialNumber) {
        ObjectNode request = JSON.createObjectNode();
        request.put("action_type", "Store");
        request.put("serial_number", serialNumber);
        request.putObject("current_user")
            .put("name", "John Doe")
            .put("email", "john@acme.com")
            .put("country", "United States")
            .put("address", "123 Main St")
            .put("phone", "+1-555-0100");
        request.put("wipe", true);
        request.put("notes", "Employee leaving March 15th");
        request.putArray("notification_emails").add("it@acme.com");
        return request;
    }

    private static ObjectNode currentUser(ObjectNode request) {
        return (ObjectNode) request.get("current_user");
    }

    private static Arguments invalid(String problem, Consumer<ObjectNode> change, String field, String message) {
        return Arguments.of(problem, change, field, message);
    }

    private List<Integer> statusesOfTwentyCreates(SandboxProperties properties) {
        try (SandboxServer flaky = SandboxServer.start(properties, clock)) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpRequest request = HttpRequest.newBuilder(flaky.baseUri().resolve(COLLECTION))
                    .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(aValidRequest("SN-" + i).toString()))
                    .build();
                statuses.add(send(request).statusCode());
            }
            return statuses;
        }
    }

    private List<List<String>> pages(String query) {
        List<List<String>> pages = new ArrayList<>();
        String cursor = null;
        do {
            String url = COLLECTION + "?" + query + ((cursor != null) ? "&cursor=" + cursor : "");
            JsonNode page = body(get(url));
            pages.add(serials(page));
            JsonNode meta = page.get("meta");
            cursor = meta.get("has_more").booleanValue() ? meta.get("next_cursor").stringValue() : null;
        }
        while (cursor != null && pages.size() < 10);
        return pages;
    }

    private static List<String> serials(JsonNode list) {
        List<String> serials = new ArrayList<>();
        list.get("data").forEach(item -> serials.add(item.get("device").get("serial_number").stringValue()));
        return serials;
    }

    private static String createdAt(HttpResponse<String> response) {
        return body(response).get("data").get("created_at").stringValue();
    }

    private static List<FieldError> fieldErrors(HttpResponse<String> response) {
        List<FieldError> errors = new ArrayList<>();
        body(response).get("error").get("details").get("errors")
            .forEach(error -> errors.add(new FieldError(error.get("field").stringValue(),
                    error.get("message").stringValue())));
        return errors;
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = body(response).get("error");
        assertThat(error.get("code").stringValue()).isEqualTo(code);
        assertThat(error.get("message").stringValue()).isNotBlank();
        assertThat(error.has("details")).isTrue();
    }

    private static void assertRateHeaders(HttpResponse<String> response, String limit, String remaining,
            String reset) {
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue(limit);
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue(remaining);
        assertThat(response.headers().firstValue("X-RateLimit-Reset")).hasValue(reset);
    }

    private HttpResponse<String> post(Object body) {
        return send(postRequest(body).build());
    }

    private HttpRequest.Builder postRequest(Object body) {
        return postRequest(body, SandboxServer.sandboxKey());
    }

    private HttpRequest.Builder postRequest(Object body, String key) {
        return HttpRequest.newBuilder(uri(COLLECTION))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofString(body.toString()));
    }

    private HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
            .timeout(Duration.ofSeconds(10));
    }

    private URI uri(String pathAndQuery) {
        return sandbox.baseUri().resolve(pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

}
