package dev.bulkoffboarding.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.bulkoffboarding.quipteams.VendorState;
import dev.bulkoffboarding.quipteams.WebhookSecret;
import dev.bulkoffboarding.tracking.TrackedActions;
import dev.bulkoffboarding.tracking.TrackedActions.Applied;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/quipteams}: the vendor's signed deliveries, in {@code serve}. No login: the
 * signature is the authentication (see {@code SecurityConfiguration}). In this order:
 * <ol>
 * <li>a body over {@code offboarding.webhooks.max-body-size} is refused (413) before it is read to
 * its end;</li>
 * <li>{@code X-Quip-Signature} must be {@code sha256=} the HMAC-SHA256 of the raw body with one of
 * our secrets, compared in constant time; otherwise 401 and nothing else happens;</li>
 * <li>a {@code logistics.*} event whose {@code data} is a device action (or holds one under
 * {@code device_action}, {@code action} or {@code object}: the payload is undocumented) is applied
 * through {@link TrackedActions}, in the same transaction that records its
 * {@code X-Quip-Delivery-Id}: a delivery sent again is acknowledged and not applied twice, and a
 * state older than the one we have never replaces it;</li>
 * <li>other events, and actions no run of ours created, are logged and acknowledged (2xx), nothing
 * more: the vendor must not retry them forever.</li>
 * </ol>
 * Nothing of a payload is logged (it holds names and addresses): only event types and ids.
 */
@RestController
@ConditionalOnWebApplication
class WebhookReceiver {

    static final String PATH = "/webhooks/quipteams";

    static final String SIGNATURE = "X-Quip-Signature";

    static final String EVENT = "X-Quip-Event";

    static final String DELIVERY_ID = "X-Quip-Delivery-Id";

    private static final Log logger = LogFactory.getLog(WebhookReceiver.class);

    /** Refusals are logged at most this often: a stranger posting junk must not flood the log. */
    private static final Duration REFUSAL_LOG_INTERVAL = Duration.ofMinutes(1);

    /** Where an undocumented payload may keep the device action, besides {@code data} itself. */
    private static final List<String> ACTION_KEYS = List.of("device_action", "deviceAction", "action", "object");

    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final WebhookSecrets secrets;

    private final WebhookDeliveryLog deliveries;

    private final TrackedActions trackedActions;

    private final WebhookProperties properties;

    private final Clock clock;

    private final AtomicLong refusedSinceLog = new AtomicLong();

    private volatile Instant refusalLoggedAt = Instant.EPOCH;

    WebhookReceiver(WebhookSecrets secrets, WebhookDeliveryLog deliveries, TrackedActions trackedActions,
            WebhookProperties properties, Clock clock) {
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.trackedActions = trackedActions;
        this.properties = properties;
        this.clock = clock;
    }

    @PostMapping(PATH)
    ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        int maxBytes = (int) this.properties.maxBodySize().toBytes();
        if (request.getContentLengthLong() > maxBytes) {
            return tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            // one byte more than allowed tells an oversized body (sent without a length) from one that fits
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            return tooLarge();
        }
        List<WebhookSecret> known = this.secrets.all();
        String signature = request.getHeader(SIGNATURE);
        if (known.stream().noneMatch((secret) -> secret.signed(body, signature))) {
            return refused(known.isEmpty(), signature == null);
        }
        JsonNode payload = parse(body);
        if (payload == null) {
            logger.warn("A signed webhook delivery " + describe(request.getHeader(DELIVERY_ID))
                    + " is not a JSON object: refused (400).");
            return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST,
                    "The delivery is not a JSON object with id, type, created_at and data."));
        }
        String eventType = first(request.getHeader(EVENT), text(payload.path("type")));
        String deliveryId = first(request.getHeader(DELIVERY_ID), text(payload.path("id")));
        Instant now = this.clock.instant();
        this.deliveries.prune(this.properties.rememberDeliveries(), now);
        if (eventType == null || !eventType.toLowerCase(Locale.ROOT).startsWith("logistics.")) {
            return acknowledge(recordOnly(deliveryId, eventType, now) ? "ignored" : "duplicate",
                    "Webhook delivery " + describe(deliveryId) + " of event " + describe(eventType)
                            + " is not about device actions: acknowledged, nothing recorded.");
        }
        Optional<VendorState> state = actionState(payload);
        if (state.isEmpty()) {
            return acknowledge(recordOnly(deliveryId, eventType, now) ? "ignored" : "duplicate",
                    "Webhook delivery " + describe(deliveryId) + " (" + describe(eventType) + ") carries no device "
                            + "action with an id, a status and a time: acknowledged; the next tracking refresh "
                            + "reads the action's state.");
        }
        Optional<Applied> applied = apply(deliveryId, eventType, state.get(), now);
        if (applied.isEmpty()) {
            return acknowledge("duplicate", null);
        }
        if (applied.get() == Applied.NOT_OURS) {
            return acknowledge("not_ours", "Webhook delivery " + describe(deliveryId) + " (" + describe(eventType)
                    + ") is about device action " + describe(state.get().vendorId())
                    + ", which no run of ours created: acknowledged, nothing recorded.");
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Webhook delivery " + describe(deliveryId) + " (" + describe(eventType) + ") for device action "
                    + describe(state.get().vendorId()) + ": " + applied.get());
        }
        return acknowledge(applied.get().name().toLowerCase(Locale.ROOT), null);
    }

    /** Applied once per delivery id; without an id (never seen from the vendor), applying again changes nothing anyway. */
    private Optional<Applied> apply(String deliveryId, String eventType, VendorState state, Instant now) {
        try {
            return this.trackedActions.applyOnce(
                    () -> deliveryId == null || this.deliveries.recordFirst(deliveryId, eventType, now), state,
                    TrackedActions.Source.WEBHOOK, now);
        }
        catch (DataIntegrityViolationException concurrentSameDelivery) {
            // the same delivery, twice at once: the other one applied it
            return Optional.empty();
        }
    }

    private boolean recordOnly(String deliveryId, String eventType, Instant now) {
        if (deliveryId == null) {
            return true;
        }
        try {
            return this.deliveries.recordFirst(deliveryId, eventType, now);
        }
        catch (DataIntegrityViolationException concurrentSameDelivery) {
            return false;
        }
    }

    /**
     * The device action a delivery is about: {@code data} itself when it has an {@code id}, else an
     * object under one of {@link #ACTION_KEYS}. A state without a status is not applied: it may be
     * a partial object, and an absent status must not erase the one we have. Without its own
     * {@code updated_at} the event's {@code created_at} orders it; without either, it is not applied,
     * since nothing would stop it from replacing a newer state.
     */
    static Optional<VendorState> actionState(JsonNode payload) {
        JsonNode data = payload.path("data");
        JsonNode action = data.path("id").isMissingNode() || data.path("id").isNull() ? null : data;
        for (int i = 0; action == null && i < ACTION_KEYS.size(); i++) {
            JsonNode nested = data.path(ACTION_KEYS.get(i));
            if (nested.isObject() && nested.has("id")) {
                action = nested;
            }
        }
        Optional<VendorState> read = VendorState.from(action);
        if (read.isEmpty() || read.get().status() == null) {
            return Optional.empty();
        }
        VendorState state = read.get();
        if (state.updatedAt() != null) {
            return read;
        }
        Instant eventTime = instant(text(payload.path("created_at")));
        return (eventTime == null) ? Optional.empty()
                : Optional.of(new VendorState(state.vendorId(), state.actionId(), state.status(),
                        state.statusTimestamps(), state.trackingCode(), state.trackingLink(), state.wipeCompleted(),
                        eventTime));
    }

    private ResponseEntity<?> refused(boolean noSecret, boolean missing) {
        long refused = this.refusedSinceLog.incrementAndGet();
        Instant now = this.clock.instant();
        if (Duration.between(this.refusalLoggedAt, now).compareTo(REFUSAL_LOG_INTERVAL) >= 0) {
            this.refusalLoggedAt = now;
            this.refusedSinceLog.addAndGet(-refused);
            logger.warn("Refused " + refused + " webhook deliver" + ((refused == 1) ? "y" : "ies") + " (401): "
                    + (noSecret ? "no webhook secret is configured (run 'webhooks register', or set "
                            + "offboarding.webhooks.secret)"
                            : missing ? "no " + SIGNATURE + " header" : "the signature does not match the body")
                    + ". Nothing was recorded.");
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(problem(HttpStatus.UNAUTHORIZED,
                missing ? "The delivery has no " + SIGNATURE + " header." : "The " + SIGNATURE
                        + " header is not the signature of this body with our webhook secret."));
    }

    private ResponseEntity<?> tooLarge() {
        logger.warn("Refused a webhook delivery larger than offboarding.webhooks.max-body-size ("
                + this.properties.maxBodySize() + ") (413).");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem(HttpStatus.CONTENT_TOO_LARGE,
                "The delivery is larger than " + this.properties.maxBodySize() + "."));
    }

    private static ResponseEntity<?> acknowledge(String result, String info) {
        if (info != null) {
            logger.info(info);
        }
        return ResponseEntity.ok(Map.of("result", result));
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(PATH));
        return problem;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return (node != null && node.isObject()) ? node : null;
        }
        catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return (node == null || !node.isValueNode() || node.isNull()) ? null : node.asString();
    }

    private static String first(String header, String fallback) {
        return (header != null && !header.isBlank()) ? header.strip() : (fallback == null || fallback.isBlank()) ? null
                : fallback.strip();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        }
        catch (DateTimeParseException ex) {
            try {
                return java.time.OffsetDateTime.parse(text.strip()).toInstant();
            }
            catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** An id or event type from outside, safe for a log line: plain characters, 100 at most, quoted. */
    static String describe(String value) {
        if (value == null) {
            return "(none)";
        }
        String safe = value.replaceAll("[^A-Za-z0-9._*:-]", "?");
        return "'" + ((safe.length() > 100) ? safe.substring(0, 100) + "..." : safe) + "'";
    }

}
