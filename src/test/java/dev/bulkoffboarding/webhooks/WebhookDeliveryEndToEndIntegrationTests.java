package dev.bulkoffboarding.webhooks;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.WipeConfirmation;
import dev.bulkoffboarding.quipteams.WebhookClient;
import dev.bulkoffboarding.quipteams.WebhookClient.Registered;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.WebhookDeliveries.Delivery;
import dev.bulkoffboarding.support.SandboxVendor;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path of a webhook: a run creates actions at the sandbox, serve's receiver is
 * registered as {@code webhooks register} does it (the vendor's secret kept by the application),
 * and the sandbox's signed deliveries reach serve over HTTP and move each action's tracked state,
 * once per delivery and never backwards, while the vendor reports every delivery as a success.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.main.web-application-type=servlet")
@ActiveProfiles("test")
class WebhookDeliveryEndToEndIntegrationTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Instant T1 = Instant.parse("2026-03-01T10:00:00.000Z");

    static final Instant T2 = Instant.parse("2026-03-02T10:00:00.000Z");

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @DynamicPropertySource
    static void vendor(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    RunService runs;

    @Autowired
    WebhookClient webhooks;

    @Autowired
    WebhookSecrets secrets;

    @Autowired
    TrackedActions trackedActions;

    @TempDir
    Path dir;

    @Test
    void theVendorsSignedDeliveriesReachServeAndMoveTheActionsState() throws Exception {
        // given: a run that created two actions, and serve's receiver registered with the vendor
        long runId = runOf("C02E2E" + unique(), "C02E2E" + unique());
        Registered registered = this.webhooks.register(
                URI.create("http://127.0.0.1:" + this.port + "/webhooks/quipteams"), List.of("logistics.*"), "e2e");
        this.secrets.store(registered.webhook().id(), registered.secret());
        List<TrackedAction> sent = this.trackedActions.forRun(runId);
        assertThat(sent).hasSize(2);
        String first = sent.get(0).vendorId();
        String ours = registered.webhook().id();

        // when: shipped, completed, then the shipped delivery again (a retry arriving late)
        Delivery shipped = deliver(ours, "logistics.tracking_added", action(first, "Shipped", false, T1));
        Delivery completed = deliver(ours, "logistics.completed", action(first, "Completed", true, T2));
        Delivery again = vendor.webhooks().redeliver(shipped.id()).get(10, TimeUnit.SECONDS);
        Delivery older = deliver(ours, "logistics.status_changed", action(first, "In Transit", false, T1.plusSeconds(1)));

        // then: every delivery was accepted
        assertThat(List.of(shipped, completed, again, older)).allSatisfy((delivery) -> {
            assertThat(delivery.status()).isEqualTo("success");
            assertThat(delivery.lastResponseStatus()).isEqualTo(200);
        });
        // the action ends in its newest state, each status recorded once; the other action is untouched
        List<TrackedAction> tracked = this.trackedActions.forRun(runId);
        assertThat(tracked.get(0).status()).isEqualTo("Completed");
        assertThat(tracked.get(0).trackingCode()).isEqualTo("1Z" + first.substring(0, 8));
        assertThat(tracked.get(0).wipeCompleted()).isTrue();
        assertThat(tracked.get(0).vendorUpdatedAt()).isEqualTo(T2);
        assertThat(tracked.get(1).isTracked()).isFalse();
        assertThat(this.trackedActions.events(runId)).extracting(TrackedActions.StatusEvent::status)
            .containsExactlyInAnyOrder("Shipped", "Completed");
        // and the vendor's delivery health says so
        assertThat(this.webhooks.list()).filteredOn((webhook) -> webhook.id().equals(ours))
            .singleElement()
            .satisfies((webhook) -> assertThat(webhook.recentDeliveries()).hasSize(4)
                .allSatisfy((delivery) -> assertThat(delivery.status()).isEqualTo("success")));
    }

    @Test
    void aDeliverySignedWithAnotherSecretIsRefusedAndTheVendorSeesIt() throws Exception {
        // given: a run, and a webhook whose secret this application never stored
        long runId = runOf("C02E2E" + unique());
        this.webhooks.register(URI.create("http://localhost:" + this.port + "/webhooks/quipteams"),
                List.of("logistics.completed"), "not stored");
        String vendorId = this.trackedActions.forRun(runId).get(0).vendorId();

        // when
        List<Delivery> deliveries = vendor.webhooks()
            .deliver("logistics.completed", action(vendorId, "Completed", true, T2))
            .get(30, TimeUnit.SECONDS);

        // then: refused by the receiver (other webhooks of this class may have accepted it)
        assertThat(deliveries).filteredOn((delivery) -> delivery.lastResponseStatus() == 401)
            .singleElement()
            .satisfies((delivery) -> assertThat(delivery.status()).isEqualTo("failed"));
        assertThat(this.trackedActions.forRun(runId).get(0).isTracked()).isFalse();
    }

    @Test
    void anOversizedDeliveryWithoutALengthIsRefusedOnceTheLimitIsPassed() throws Exception {
        // given: 300 KB sent in chunks, so the receiver cannot tell its size before reading
        byte[] body = ("{\"padding\":\"" + "x".repeat(300 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/webhooks/quipteams"))
            .header("Content-Type", "application/json")
            .header("X-Quip-Signature", "sha256=" + "0".repeat(64))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

        // when
        HttpResponse<String> response = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());

        // then: over the default 256 KB, refused before the signature is even looked at
        assertThat(response.statusCode()).isEqualTo(413);
    }

    private long runOf(String... serials) throws Exception {
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email,wipe\n");
        for (String serial : serials) {
            csv.append(serial).append(",Store,Jane Roe,jane.roe@acme.example,true\n");
        }
        Path file = this.dir.resolve("leavers-" + unique() + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return this.runs.run(RunRequest.of(file)
            .withLabel("webhooks " + unique())
            .withDedup(false)
            .withWipes(WipeConfirmation.implicitly("a test against the sandbox")))
            .summary()
            .runId();
    }

    /** The delivery to webhook {@code to} (others registered by this class's tests get theirs too). */
    private static Delivery deliver(String to, String event, JsonNode action) throws Exception {
        List<Delivery> deliveries = vendor.webhooks().deliver(event, action).get(30, TimeUnit.SECONDS);
        return deliveries.stream().filter((delivery) -> delivery.webhookId().equals(to)).findFirst().orElseThrow();
    }

    private static JsonNode action(String vendorId, String status, boolean wipeCompleted, Instant updatedAt) {
        ObjectNode action = JSON.createObjectNode();
        action.put("id", vendorId);
        action.put("action_type", "Store");
        action.put("status", status);
        action.put("wipe", true);
        action.put("wipe_completed", wipeCompleted);
        action.put("tracking_code", "1Z" + vendorId.substring(0, 8));
        action.put("tracking_link", "https://track.example/" + vendorId.substring(0, 8));
        action.putObject("status_timestamps").put(status, updatedAt.toString());
        action.put("updated_at", updatedAt.toString());
        return action;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

}
