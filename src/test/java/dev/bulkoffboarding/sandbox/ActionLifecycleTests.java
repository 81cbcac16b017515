package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.bulkoffboarding.quipteams.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's device-action lifecycle, on a clock the test moves: In Progress, then Shipped with
 * a tracking code and link, then Completed with the wipe done; each step at its own time, seen by
 * list and get alike, and announced once to the change listener.
 */
class ActionLifecycleTests {

    private static final Instant START = Instant.parse("2026-03-07T10:00:00Z");

    private static final Duration STEP = Duration.ofMinutes(10);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final MutableClock clock = new MutableClock(START);

    private final List<JsonNode> changes = new CopyOnWriteArrayList<>();

    private SandboxServer sandbox;

    @BeforeEach
    void startSandbox() {
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO), clock);
        sandbox.setLifecycleStep(STEP);
        sandbox.setOnChange(changes::add);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void anActionShipsAfterOneStepAndCompletesWithItsWipeAfterTwo() {
        // given
        String id = create("C02LIFE00001", true);

        // when
        clock.advance(STEP.minusSeconds(1));
        JsonNode beforeFirstStep = get(id);
        clock.advance(Duration.ofSeconds(1));
        JsonNode shipped = get(id);
        clock.advance(STEP);
        JsonNode completed = get(id);

        // then
        assertThat(beforeFirstStep.path("status").asString()).isEqualTo("In Progress");
        assertThat(beforeFirstStep.path("tracking_code").isNull()).isTrue();
        assertThat(shipped.path("status").asString()).isEqualTo("Shipped");
        assertThat(shipped.path("tracking_code").asString()).startsWith("SBX");
        assertThat(shipped.path("tracking_link").asString()).endsWith(shipped.path("tracking_code").asString());
        assertThat(shipped.path("updated_at").asString()).isEqualTo("2026-03-07T10:10:00.000Z");
        assertThat(shipped.path("wipe_completed").asBoolean()).isFalse();
        assertThat(completed.path("status").asString()).isEqualTo("Completed");
        assertThat(completed.path("wipe_completed").asBoolean()).isTrue();
        assertThat(completed.path("updated_at").asString()).isEqualTo("2026-03-07T10:20:00.000Z");
        assertThat(completed.path("status_timestamps").path("In Progress").asString())
            .isEqualTo("2026-03-07T10:00:00.000Z");
        assertThat(completed.path("status_timestamps").path("Shipped").asString())
            .isEqualTo("2026-03-07T10:10:00.000Z");
        assertThat(completed.path("status_timestamps").path("Completed").asString())
            .isEqualTo("2026-03-07T10:20:00.000Z");
        assertThat(changes).extracting((action) -> action.path("status").asString())
            .containsExactly("Shipped", "Completed");
    }

    @Test
    void skippedStepsAreTakenAtOnceEachWithItsOwnTimeAndAWipeNotAskedForStaysUndone() {
        // given
        String id = create("C02LIFE00002", false);

        // when
        clock.advance(STEP.multipliedBy(5));
        JsonNode listed = list().path("data").get(0);

        // then
        assertThat(listed.path("id").asString()).isEqualTo(id);
        assertThat(listed.path("status").asString()).isEqualTo("Completed");
        assertThat(listed.path("wipe_completed").asBoolean()).isFalse();
        assertThat(listed.path("tracking_code").asString()).startsWith("SBX");
        assertThat(listed.path("updated_at").asString()).isEqualTo("2026-03-07T10:20:00.000Z");
        assertThat(get(id).path("status_timestamps").size()).isEqualTo(3);
        assertThat(changes).hasSize(1);
    }

    @Test
    void actionsMoveInCreationOrderAndNewerOnesWait() {
        // given
        String older = create("C02LIFE00003", false);
        clock.advance(STEP.dividedBy(2));
        String newer = create("C02LIFE00004", false);

        // when
        clock.advance(STEP.dividedBy(2));

        // then
        assertThat(get(older).path("status").asString()).isEqualTo("Shipped");
        assertThat(get(newer).path("status").asString()).isEqualTo("In Progress");
    }

    @Test
    void aStepOfZeroKeepsEveryActionInProgress() {
        // given
        sandbox.setLifecycleStep(Duration.ZERO);
        String id = create("C02LIFE00005", true);

        // when
        clock.advance(Duration.ofDays(30));

        // then
        assertThat(get(id).path("status").asString()).isEqualTo("In Progress");
        assertThat(changes).isEmpty();
    }

    @Test
    void aLaterSandboxRemembersTheActionsAnEarlierOneCreatedAsFarAlongAsTheirAge(@TempDir Path dir) {
        // given: an earlier process's sandbox created an action, and ended
        Path journal = dir.resolve("data").resolve("sandbox-actions.jsonl");
        sandbox.close();
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO), clock);
        sandbox.setLifecycleStep(STEP);
        assertThat(sandbox.rememberActionsIn(journal)).isZero();
        String id = create("C02LIFE00006", true);
        String firstActionId = get(id).path("action_id").asString();
        sandbox.close();

        // when: a later one starts a step and a half later
        clock.advance(STEP.multipliedBy(3).dividedBy(2));
        sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO), clock);
        sandbox.setLifecycleStep(STEP);
        sandbox.setOnChange(changes::add);
        int remembered = sandbox.rememberActionsIn(journal);

        // then: it knows the action, shipped, without announcing that change again, and goes on counting
        assertThat(remembered).isEqualTo(1);
        assertThat(get(id).path("status").asString()).isEqualTo("Shipped");
        assertThat(list().path("data")).hasSize(1);
        assertThat(changes).isEmpty();
        String next = create("C02LIFE00007", false);
        assertThat(get(next).path("action_id").asString()).isNotEqualTo(firstActionId);
        assertThat(sandbox.createdActions()).extracting(SandboxServer.CreatedAction::id).containsExactly(id, next);
    }

    @Test
    void eachStepIsDeliveredAsASignedLogisticsEventToTheRegisteredWebhooks() throws Exception {
        // given: a receiver on this machine, registered for logistics events
        List<String> events = new CopyOnWriteArrayList<>();
        List<Boolean> signed = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String[] secret = new String[1];
        receiver.createContext("/", (exchange) -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            signed.add(WebhookSecret.of(secret[0]).signed(body, exchange.getRequestHeaders().getFirst("X-Quip-Signature")));
            events.add(exchange.getRequestHeaders().getFirst("X-Quip-Event") + " "
                    + JSON.readTree(body).path("data").path("status").asString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            HttpResponse<String> registered = send(HttpRequest.newBuilder(sandbox.baseUri().resolve("/api/v1/webhooks"))
                .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                        + "/webhooks/quipteams\",\"events\":[\"logistics.*\"]}"))
                .build());
            assertThat(registered.statusCode()).isEqualTo(201);
            secret[0] = JSON.readTree(registered.body()).path("data").path("secret").asString();
            String id = create("C02HOOK00001", true);

            // when: two steps pass
            clock.advance(STEP);
            get(id);
            clock.advance(STEP);
            get(id);

            // then: the receiver heard both (deliveries run in the background), each signed with the webhook's secret
            for (int i = 0; i < 200 && events.size() < 2; i++) {
                Thread.sleep(50);
            }
            assertThat(events).containsExactlyInAnyOrder("logistics.tracking_added Shipped", "logistics.completed Completed");
            assertThat(signed).containsExactly(true, true);
            assertThat(changes).hasSize(2);
        }
        finally {
            receiver.stop(0);
        }
    }

    private String create(String serial, boolean wipe) {
        ObjectNode request = SandboxServerTests.aValidRequest(serial);
        request.put("wipe", wipe);
        HttpResponse<String> response = send(HttpRequest.newBuilder(sandbox.baseUri().resolve("/api/v1/device-actions"))
            .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(request.toString()))
            .build());
        assertThat(response.statusCode()).isEqualTo(201);
        return JSON.readTree(response.body()).path("data").path("id").asString();
    }

    private JsonNode get(String id) {
        return read("/api/v1/device-actions/" + id).path("data");
    }

    private JsonNode list() {
        return read("/api/v1/device-actions?limit=100");
    }

    private JsonNode read(String pathAndQuery) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(sandbox.baseUri().resolve(pathAndQuery))
            .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
            .GET()
            .build());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
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

}
