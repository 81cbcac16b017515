package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.bulkoffboarding.quipteams.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's webhooks: created with the documented body (HTTPS, or HTTP to this machine),
 * answered once with a 64-hex secret and never again, and delivered as signed POSTs that the
 * application's reading of the signature accepts, with the three documented headers.
 */
class WebhookDeliveriesTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @AutoClose
    final SandboxServer sandbox = SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO));

    final HttpClient http = HttpClient.newHttpClient();

    final List<Received> received = new CopyOnWriteArrayList<>();

    HttpServer receiver;

    @AfterEach
    void stopReceiver() {
        if (this.receiver != null) {
            this.receiver.stop(0);
        }
    }

    @Test
    void createsAWebhookWithItsSecretShownOnce() throws Exception {
        // when
        HttpResponse<String> created = call("POST", "/api/v1/webhooks",
                "{\"url\":\"https://hooks.example.test/in\",\"events\":[\"logistics.*\"],\"description\":\"ours\"}");

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode data = JSON.readTree(created.body()).path("data");
        assertThat(data.path("secret").asString()).matches("[0-9a-f]{64}");
        assertThat(data.path("events").values()).extracting(JsonNode::asString)
            .contains("logistics.tracking_added", "logistics.completed");
        String id = data.path("id").asString();
        assertThat(call("GET", "/api/v1/webhooks", null).body()).contains(id).doesNotContain("secret");
        HttpResponse<String> one = call("GET", "/api/v1/webhooks/" + id, null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).path("data").path("recent_deliveries").isArray()).isTrue();
        assertThat(one.body()).doesNotContain("secret");
    }

    @Test
    void refusesPlainHttpToAnotherMachineAndUnknownEvents() throws Exception {
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\":\"http://hooks.example.test/in\",\"events\":[\"logistics.*\"]}")
            .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\":\"https://hooks.example.test/in\",\"events\":[\"device.*\"]}")
            .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\":\"https://hooks.example.test/in\",\"events\":[]}")
            .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/v1/webhooks", "{\"url\":\"https://hooks.example.test/in\",\"events\":[\"logistics.*\"],"
                + "\"secret\":\"mine\"}").statusCode()).isEqualTo(400);
        assertThat(this.sandbox.webhooks().webhooks()).isEmpty();
    }

    @Test
    void deliversSignedEventsToSubscribedWebhooksOnly() throws Exception {
        // given: a receiver on this machine, subscribed to logistics events, and one to quotes only
        startReceiver(204);
        String url = "http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/webhooks/quipteams";
        JsonNode created = JSON.readTree(call("POST", "/api/v1/webhooks",
                "{\"url\":\"" + url + "\",\"events\":[\"logistics.*\"]}").body()).path("data");
        call("POST", "/api/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"quote.*\"]}");
        WebhookSecret secret = WebhookSecret.of(created.path("secret").asString());

        // when
        List<WebhookDeliveries.Delivery> deliveries = this.sandbox.webhooks()
            .deliver("logistics.tracking_added", JSON.readTree("{\"id\":\"da-1\",\"status\":\"Shipped\"}"))
            .get(10, TimeUnit.SECONDS);

        // then: one delivery, signed, with the documented headers and envelope
        assertThat(deliveries).singleElement().satisfies((delivery) -> {
            assertThat(delivery.status()).isEqualTo("success");
            assertThat(delivery.attempts()).isEqualTo(1);
            assertThat(delivery.lastResponseStatus()).isEqualTo(204);
        });
        assertThat(this.received).singleElement().satisfies((request) -> {
            assertThat(secret.signed(request.body(), request.headers().get("x-quip-signature"))).isTrue();
            assertThat(request.headers().get("x-quip-event")).isEqualTo("logistics.tracking_added");
            assertThat(request.headers().get("x-quip-delivery-id")).isEqualTo(deliveries.get(0).id());
            JsonNode body = JSON.readTree(request.body());
            assertThat(body.propertyNames()).containsExactlyInAnyOrder("id", "type", "created_at", "data");
            assertThat(body.path("data").path("status").asString()).isEqualTo("Shipped");
        });

        // when: delivered again (the vendor did not see our answer)
        this.sandbox.webhooks().redeliver(deliveries.get(0).id()).get(10, TimeUnit.SECONDS);

        // then: the same body and delivery id
        assertThat(this.received).hasSize(2);
        assertThat(this.received.get(1).body()).isEqualTo(this.received.get(0).body());
        assertThat(this.received.get(1).headers().get("x-quip-delivery-id"))
            .isEqualTo(this.received.get(0).headers().get("x-quip-delivery-id"));
        JsonNode withDeliveries = JSON.readTree(call("GET", "/api/v1/webhooks/" + created.path("id").asString(), null)
            .body()).path("data").path("recent_deliveries");
        assertThat(withDeliveries.size()).isEqualTo(2);
        assertThat(withDeliveries.get(0).path("status").asString()).isEqualTo("success");
    }

    @Test
    void aRefusedDeliveryIsTriedThreeTimesAndReportedFailed() throws Exception {
        // given
        startReceiver(401);
        String url = "http://localhost:" + this.receiver.getAddress().getPort() + "/webhooks/quipteams";
        call("POST", "/api/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"logistics.completed\"]}");

        // when
        List<WebhookDeliveries.Delivery> deliveries = this.sandbox.webhooks()
            .deliver("logistics.completed", JSON.readTree("{\"id\":\"da-1\"}"))
            .get(10, TimeUnit.SECONDS);

        // then
        assertThat(deliveries).singleElement().satisfies((delivery) -> {
            assertThat(delivery.status()).isEqualTo("failed");
            assertThat(delivery.attempts()).isEqualTo(3);
            assertThat(delivery.lastResponseStatus()).isEqualTo(401);
        });
        assertThat(this.received).hasSize(3);
    }

    private void startReceiver(int status) throws IOException {
        this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.receiver.createContext("/", (exchange) -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            this.received.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        this.receiver.start();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.sandbox.baseUri() + path))
            .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
            .header("Content-Type", "application/json");
        request.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    record Received(Map<String, String> headers, byte[] body) {
    }

}
