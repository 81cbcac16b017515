package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's inventory ({@code GET /api/v1/assets}) and external devices ({@code POST .../external}). */
class SandboxInventoryTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private static final String EXTERNAL = """
            {"action_type":"Store","serial_number":"EXT-SN-99999","model":"ThinkPad X1 Carbon Gen 11","type":"Laptop",
             "country":"Germany","current_user":{"name":"John Doe","email":"john@acme.com"},"wipe":true}""";

    private final SandboxServer sandbox = SandboxServer
        .start(SandboxProperties.defaults().withLatency(Duration.ZERO).withRequestsPerMinute(0));

    @AfterEach
    void stop() {
        this.sandbox.close();
    }

    @Test
    void listsOnlyDevicesInStorageUnlessAskedForEveryStatus() {
        // given
        this.sandbox.addDevice("C02A", "in_storage", null);
        this.sandbox.addDevice("C02B", "in_use", "Ann Lee");

        // when
        JsonNode byDefault = body(get("/api/v1/assets"));
        JsonNode all = body(get("/api/v1/assets?status=all"));
        JsonNode inUse = body(get("/api/v1/assets?status=in_use"));

        // then
        assertThat(serials(byDefault)).containsExactly("C02A");
        assertThat(serials(all)).containsExactly("C02A", "C02B");
        assertThat(serials(inUse)).containsExactly("C02B");
        JsonNode asset = inUse.get("data").get(0);
        assertThat(asset.get("employee").stringValue()).isEqualTo("Ann Lee");
        assertThat(asset.get("id").isNull()).isTrue();
    }

    @Test
    void matchesTheWholeSerialAndPagesWithACursor() {
        // given
        this.sandbox.addDevice("C02X", "in_use", null);
        this.sandbox.addDevice("C02X1", "in_use", null);
        for (int i = 0; i < 5; i++) {
            this.sandbox.addDevice("SN" + i, "in_use", null);
        }

        // when
        JsonNode exact = body(get("/api/v1/assets?status=all&serial_number=C02X"));
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = body(get("/api/v1/assets?status=all&limit=3" + ((cursor == null) ? "" : "&cursor=" + cursor)));
            paged.addAll(serials(page));
            cursor = page.get("meta").get("has_more").booleanValue() ? page.get("meta").get("next_cursor").stringValue()
                    : null;
            pages++;
        }
        while (cursor != null);

        // then
        assertThat(serials(exact)).containsExactly("C02X");
        assertThat(paged).containsExactly("C02X", "C02X1", "SN0", "SN1", "SN2", "SN3", "SN4");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void createsAnExternalDeviceActionOnlyForADeviceNotInTheInventory() {
        // given
        this.sandbox.addDevice("C02A", "in_use", "Ann Lee");

        // when
        HttpResponse<String> created = post("/api/v1/device-actions/external", EXTERNAL);
        HttpResponse<String> known = post("/api/v1/device-actions/external", EXTERNAL.replace("EXT-SN-99999", "C02A"));
        HttpResponse<String> usual = post("/api/v1/device-actions", EXTERNAL);
        HttpResponse<String> incomplete = post("/api/v1/device-actions/external",
                EXTERNAL.replace("\"country\":\"Germany\",", ""));

        // then
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode device = body(created).get("data").get("device");
        assertThat(device.get("model").stringValue()).isEqualTo("ThinkPad X1 Carbon Gen 11");
        assertThat(device.get("type").stringValue()).isEqualTo("Laptop");
        assertThat(device.get("country").stringValue()).isEqualTo("Germany");
        assertThat(known.statusCode()).isEqualTo(409);
        assertThat(usual.statusCode()).isEqualTo(400);
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(incomplete.body()).contains("\"field\":\"country\"");
        assertThat(this.sandbox.createdCount("EXT-SN-99999", "Store")).isEqualTo(1);
    }

    @Test
    void anActionMovedToAnotherStatusListsWithIt() {
        // given
        SandboxServer.CreatedAction action = this.sandbox.seedAction(
                "{\"action_type\":\"Retrieval\",\"serial_number\":\"C02A\",\"current_user\":{\"name\":\"A\","
                        + "\"email\":\"a@acme.com\"}}", Instant.now());

        // when
        this.sandbox.setActionStatus(action.actionId(), "Completed");

        // then
        JsonNode list = body(get("/api/v1/device-actions?serial_number=C02A"));
        assertThat(list.get("data").get(0).get("status").stringValue()).isEqualTo("Completed");
    }

    private static List<String> serials(JsonNode page) {
        List<String> serials = new ArrayList<>();
        page.get("data").forEach((asset) -> serials.add(asset.get("serial_number").stringValue()));
        return serials;
    }

    private HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    private HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(this.sandbox.baseUri() + pathAndQuery))
            .header("Authorization", "Bearer " + SandboxServer.sandboxKey())
            .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException | InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

}
