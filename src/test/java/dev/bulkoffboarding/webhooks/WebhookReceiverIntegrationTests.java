package dev.bulkoffboarding.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.quipteams.WebhookSecret;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /webhooks/quipteams} in a serve context: only deliveries signed with our secret
 * change anything, each delivery is applied once, an older state never replaces a newer one, and
 * whatever is not about one of our actions is acknowledged and left alone. No login and no CSRF
 * token: none of these requests carries either. A contract: it runs once per database
 * ({@link WebhookReceiverOnH2IntegrationTests}, {@link WebhookReceiverOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "spring.main.web-application-type=servlet", "quipteams.api-key=",
        "offboarding.webhooks.secret=" + WebhookReceiverIntegrationTests.SECRET,
        "offboarding.webhooks.max-body-size=64KB" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
abstract class WebhookReceiverIntegrationTests {

    /** Made for this test JVM: no secret-like value is committed. */
    static final String SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    static final WebhookSecret OURS = WebhookSecret.of(SECRET);

    static final WebhookSecret OTHER = WebhookSecret.of("a-secret-that-is-not-ours-at-all");

    static final Instant T1 = Instant.parse("2026-03-01T10:00:00.000Z");

    static final Instant T2 = Instant.parse("2026-03-02T10:00:00.000Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TrackedActions trackedActions;

    long runId;

    String vendorId;

    @BeforeEach
    void aSubmittedAction() {
        this.runId = 800_000_000L + (UUID.randomUUID().getMostSignificantBits() & 0xFFFFFF);
        this.vendorId = "da-" + UUID.randomUUID();
        this.jdbc.update("insert into offboarding_run (id, kind, file_name, file_sha256, trigger_source, sandbox, "
                + "created_at) values (?, 'RUN', 'leavers.csv', ?, 'CLI', true, ?)", this.runId, "0".repeat(64),
                java.sql.Timestamp.from(Instant.now()));
        this.jdbc.update("insert into offboarding_row (run_id, line_number, serial_number, serial_key, action_type, "
                + "state, wipe, action_id, vendor_id, submitting_at, finished_at) values (?, 2, 'C02WEBHOOK', "
                + "'C02WEBHOOK', 'Store', 'SUBMITTED', true, 'DA-2026-00001', ?, ?, ?)", this.runId, this.vendorId,
                java.sql.Timestamp.from(T1.minusSeconds(60)), java.sql.Timestamp.from(T1.minusSeconds(59)));
    }

    @Test
    void aSignedDeliveryRecordsTheActionsState() throws Exception {
        // given
        String body = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString()).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("changed"));
        TrackedAction tracked = only();
        assertThat(tracked.status()).isEqualTo("Shipped");
        assertThat(tracked.trackingCode()).isEqualTo("1Z999");
        assertThat(tracked.trackingLink()).isEqualTo("https://track.example/1Z999");
        assertThat(tracked.wipeCompleted()).isFalse();
        assertThat(tracked.vendorUpdatedAt()).isEqualTo(T1);
        assertThat(source()).isEqualTo("WEBHOOK");
    }

    @Test
    void aBadSignatureIsRefusedAndChangesNothing(CapturedOutput output) throws Exception {
        // given
        String body = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));
        String deliveryId = UUID.randomUUID().toString();

        // when / then: another secret's signature, and ours of another body
        send(body, OTHER.signature(bytes(body)), deliveryId).andExpect(status().isUnauthorized());
        send(body, OURS.signature(bytes(body.replace("1Z999", "1Z000"))), deliveryId)
            .andExpect(status().isUnauthorized());
        send(body, "sha256=" + "0".repeat(64), deliveryId).andExpect(status().isUnauthorized());
        send(body, OURS.signature(bytes(body)).replace("sha256=", "sha1="), deliveryId)
            .andExpect(status().isUnauthorized());
        assertThat(trackingRows()).isZero();
        assertThat(deliveriesRecorded(deliveryId)).isZero();
        // (refusals are logged once a minute at most, so whether this class's first one is among them varies)
        assertThat(output).doesNotContain(SECRET);

        // when: the real signature later: the refused attempts left no trace that would block it
        send(body, OURS.signature(bytes(body)), deliveryId).andExpect(status().isOk());
        assertThat(only().status()).isEqualTo("Shipped");
    }

    @Test
    void aMissingSignatureIsRefused() throws Exception {
        // given
        String body = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));

        // when / then
        this.mvc.perform(post("/webhooks/quipteams").contentType(MediaType.APPLICATION_JSON).content(body)
            .header("X-Quip-Event", "logistics.tracking_added")
            .header("X-Quip-Delivery-Id", UUID.randomUUID().toString()))
            .andExpect(status().isUnauthorized())
            .andExpect(jsonPath("$.detail").value("The delivery has no X-Quip-Signature header."));
        assertThat(trackingRows()).isZero();
    }

    @Test
    void aReplayedDeliveryIsAcknowledgedAndNotAppliedAgain() throws Exception {
        // given: a delivery applied once
        String deliveryId = UUID.randomUUID().toString();
        String first = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));
        send(first, OURS.signature(bytes(first)), deliveryId).andExpect(status().isOk());

        // when: the same delivery again, and the same id with another (even newer) body
        send(first, OURS.signature(bytes(first)), deliveryId).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("duplicate"));
        String sameIdOtherBody = delivery("logistics.completed", action("Completed", "1Z999", T2));
        send(sameIdOtherBody, OURS.signature(bytes(sameIdOtherBody)), deliveryId).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("duplicate"));

        // then: applied once only
        assertThat(only().status()).isEqualTo("Shipped");
        assertThat(deliveriesRecorded(deliveryId)).isEqualTo(1);
        assertThat(this.trackedActions.events(this.runId)).extracting(TrackedActions.StatusEvent::status)
            .containsExactly("Shipped");
    }

    @Test
    void theSameDeliveryArrivingSeveralTimesAtOnceIsAppliedOnce() throws Exception {
        // given: one delivery, sent by 6 threads together
        String deliveryId = UUID.randomUUID().toString();
        String body = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));
        String signature = OURS.signature(bytes(body));
        int senders = 6;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();

        // when
        for (int i = 0; i < senders; i++) {
            answers.add(threads.submit(() -> {
                start.await();
                return send(body, signature, deliveryId).andReturn().getResponse().getContentAsString();
            }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> answer : answers) {
            results.add(answer.get(60, TimeUnit.SECONDS));
        }
        threads.shutdown();

        // then: one applied it, the others were told it was a duplicate
        assertThat(results).filteredOn((result) -> result.contains("\"changed\"")).hasSize(1);
        assertThat(results).filteredOn((result) -> result.contains("\"duplicate\"")).hasSize(senders - 1);
        assertThat(deliveriesRecorded(deliveryId)).isEqualTo(1);
        assertThat(this.trackedActions.events(this.runId)).hasSize(1);
    }

    @Test
    void anOlderStateArrivingLaterDoesNotReplaceTheNewer() throws Exception {
        // given: the newer state first
        String newer = delivery("logistics.completed", action("Completed", "1Z999", T2));
        send(newer, OURS.signature(bytes(newer)), UUID.randomUUID().toString()).andExpect(status().isOk());

        // when: the older one arrives late
        String older = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1));
        send(older, OURS.signature(bytes(older)), UUID.randomUUID().toString()).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("older"));

        // then
        TrackedAction tracked = only();
        assertThat(tracked.status()).isEqualTo("Completed");
        assertThat(tracked.vendorUpdatedAt()).isEqualTo(T2);
    }

    @Test
    void withoutUpdatedAtTheEventsTimeOrdersTheState() throws Exception {
        // given: the newer state, its time in the action
        String newer = delivery("logistics.completed", action("Completed", "1Z999", T2));
        send(newer, OURS.signature(bytes(newer)), UUID.randomUUID().toString()).andExpect(status().isOk());

        // when: an older event whose action has no updated_at
        String older = delivery("logistics.tracking_added", action("Shipped", "1Z999", null)).replace(
                "\"created_at\":\"2026-12-01T00:00:00.000Z\"", "\"created_at\":\"" + T1 + "\"");
        send(older, OURS.signature(bytes(older)), UUID.randomUUID().toString()).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("older"));

        // then
        assertThat(only().status()).isEqualTo("Completed");
    }

    @Test
    void anActionNestedInDataIsFound() throws Exception {
        // given: data holds the action under "device_action"
        String body = "{\"id\":\"evt_1\",\"type\":\"logistics.completed\",\"created_at\":\"" + T2
                + "\",\"data\":{\"device_action\":" + action("Completed", "1Z999", T2) + "}}";

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString()).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("changed"));
        assertThat(only().status()).isEqualTo("Completed");
    }

    @Test
    void anUnknownEventIsAcknowledgedAndIgnored() throws Exception {
        // given
        String body = delivery("quote.created", "{\"id\":\"" + this.vendorId + "\",\"status\":\"Pending\"}");

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString(), "quote.created")
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("ignored"));
        assertThat(trackingRows()).isZero();
    }

    @Test
    void anActionNotOursIsAcknowledgedAndNotRecorded(CapturedOutput output) throws Exception {
        // given: an action someone created in the vendor's dashboard, with its holder's e-mail
        String body = delivery("logistics.tracking_added", action("Shipped", "1Z999", T1)
            .replace(this.vendorId, "da-not-ours"));

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString()).andExpect(status().isOk())
            .andExpect(jsonPath("$.result").value("not_ours"));
        assertThat(trackingRows()).isZero();
        assertThat(this.jdbc.queryForObject("select count(*) from action_tracking where vendor_id = 'da-not-ours'",
                Integer.class)).isZero();
        assertThat(output).doesNotContain("jane.roe@acme.example").doesNotContain("Jane Roe");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() throws Exception {
        // given: a signed body just over the configured 64 KB
        String padding = "x".repeat(64 * 1024);
        String body = delivery("logistics.tracking_added",
                action("Shipped", "1Z999", T1).replace("\"status\"", "\"notes\":\"" + padding + "\",\"status\""));

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString())
            .andExpect(status().isPayloadTooLarge());
        assertThat(trackingRows()).isZero();
    }

    @Test
    void aSignedBodyThatIsNotJsonIsABadRequest() throws Exception {
        // given
        String body = "not json";

        // when / then
        send(body, OURS.signature(bytes(body)), UUID.randomUUID().toString()).andExpect(status().isBadRequest());
    }

    private ResultActions send(String body, String signature, String deliveryId) throws Exception {
        return send(body, signature, deliveryId, "logistics.tracking_added");
    }

    private ResultActions send(String body, String signature, String deliveryId, String event) throws Exception {
        MockHttpServletRequestBuilder request = post("/webhooks/quipteams").contentType(MediaType.APPLICATION_JSON)
            .content(bytes(body))
            .header("X-Quip-Signature", signature)
            .header("X-Quip-Event", event)
            .header("X-Quip-Delivery-Id", deliveryId);
        return this.mvc.perform(request);
    }

    private String delivery(String type, String data) {
        return "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"" + type
                + "\",\"created_at\":\"2026-12-01T00:00:00.000Z\",\"data\":" + data + "}";
    }

    private String action(String status, String trackingCode, Instant updatedAt) {
        return "{\"id\":\"" + this.vendorId + "\",\"action_id\":\"DA-2026-00001\",\"action_type\":\"Store\","
                + "\"status\":\"" + status + "\",\"device\":{\"serial_number\":\"C02WEBHOOK\"},"
                + "\"current_user\":{\"name\":\"Jane Roe\",\"email\":\"jane.roe@acme.example\"},\"wipe\":true,"
                + "\"wipe_completed\":false,\"tracking_code\":\"" + trackingCode
                + "\",\"tracking_link\":\"https://track.example/" + trackingCode + "\""
                + ((updatedAt != null) ? ",\"updated_at\":\"" + updatedAt + "\"" : "") + "}";
    }

    private TrackedAction only() {
        List<TrackedAction> actions = this.trackedActions.forRun(this.runId);
        assertThat(actions).hasSize(1);
        return actions.get(0);
    }

    private int trackingRows() {
        return this.jdbc.queryForObject("select count(*) from action_tracking where run_id = ?", Integer.class,
                this.runId);
    }

    private String source() {
        return this.jdbc.queryForObject("select source from action_tracking where run_id = ?", String.class,
                this.runId);
    }

    private int deliveriesRecorded(String deliveryId) {
        return this.jdbc.queryForObject("select count(*) from webhook_delivery where delivery_id = ?", Integer.class,
                deliveryId);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
