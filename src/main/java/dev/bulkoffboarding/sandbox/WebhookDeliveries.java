package dev.bulkoffboarding.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's webhooks (§13 of quipteams-api.md): {@code POST /api/v1/webhooks} (its answer
 * carries the endpoint's secret, 64 hex characters, shown this once), {@code GET /api/v1/webhooks}
 * and {@code GET /api/v1/webhooks/{id}} with {@code recent_deliveries}; and the deliveries
 * themselves, signed POSTs of {@code {id, type, created_at, data}} with {@code X-Quip-Signature:
 * sha256=<HMAC-SHA256 of the body>}, {@code X-Quip-Event} and {@code X-Quip-Delivery-Id}.
 *
 * <p>Like the real vendor, a webhook URL must be HTTPS; unlike it, the sandbox also delivers to
 * plain HTTP on this machine ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}), for demos and
 * tests. The event families are the documented {@code quote.*} and {@code logistics.*}; which
 * logistics events exist is the sandbox's choice (the vendor does not document them):
 * {@link #LOGISTICS_EVENTS}. A failed delivery is tried {@value #ATTEMPTS} times.
 *
 * <p>It signs with its own code, not the application's: a wrong reading of the signature on
 * either side shows as refused deliveries.
 */
public final class WebhookDeliveries implements AutoCloseable {

    static final String COLLECTION_PATH = "/api/v1/webhooks";

    /** The logistics events the sandbox sends: an action created, moved to another status, shipped, completed. */
    public static final List<String> LOGISTICS_EVENTS = List.of("logistics.created", "logistics.status_changed",
            "logistics.tracking_added", "logistics.completed");

    private static final List<String> QUOTE_EVENTS = List.of("quote.created", "quote.pending", "quote.tracking_added",
            "quote.delivered");

    private static final int ATTEMPTS = 3;

    private static final Duration RETRY_DELAY = Duration.ofMillis(200);

    private static final int RECENT_DELIVERIES = 20;

    private static final Set<String> CREATE_FIELDS = Set.of("url", "events", "description");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Clock clock;

    private final JsonMapper json;

    private final SecureRandom random = new SecureRandom();

    private final AtomicLong sequence = new AtomicLong();

    private final List<Webhook> webhooks = new CopyOnWriteArrayList<>();

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private final Map<String, Sent> sentBodies = new ConcurrentHashMap<>();

    private final ExecutorService executor;

    private final HttpClient http;

    WebhookDeliveries(Clock clock, JsonMapper json) {
        this.clock = clock;
        this.json = json;
        this.executor = Executors.newCachedThreadPool((runnable) -> {
            Thread thread = new Thread(runnable, "sandbox-webhook");
            // deliveries left over by a test must not keep the JVM alive
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(this.executor)
            .build();
    }

    static boolean handles(String path) {
        return path.equals(COLLECTION_PATH) || path.startsWith(COLLECTION_PATH + "/");
    }

    /**
     * Delivers an event about a device action to every active webhook subscribed to it, signed
     * with each one's secret, in the background; a failure (no answer, or not a 2xx) is tried again
     * up to {@value #ATTEMPTS} times in all.
     *
     * @param eventType such as {@code logistics.tracking_added}
     * @param action the device action object, as a get would answer it (the delivery's {@code data})
     * @return completes with one delivery per webhook once each succeeded or gave up
     */
    public CompletableFuture<List<Delivery>> deliver(String eventType, JsonNode action) {
        Instant now = this.clock.instant();
        ObjectNode event = this.json.createObjectNode();
        event.put("id", "evt_" + UUID.randomUUID());
        event.put("type", eventType);
        event.put("created_at", TIMESTAMP.format(now));
        event.set("data", action.deepCopy());
        byte[] body = this.json.writeValueAsBytes(event);
        List<CompletableFuture<Delivery>> sending = new ArrayList<>();
        for (Webhook webhook : this.webhooks) {
            if (webhook.active() && webhook.receives(eventType)) {
                String deliveryId = "dlv_" + UUID.randomUUID();
                Sent sent = new Sent(webhook, deliveryId, eventType, body, now);
                this.sentBodies.put(deliveryId, sent);
                sending.add(send(sent, 1));
            }
        }
        return CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new))
            .thenApply((done) -> sending.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Sends an earlier delivery again exactly as it was (same body, same {@code X-Quip-Delivery-Id}),
     * as a vendor does when it did not see our answer.
     */
    public CompletableFuture<Delivery> redeliver(String deliveryId) {
        Sent sent = this.sentBodies.get(deliveryId);
        if (sent == null) {
            throw new IllegalArgumentException("No delivery " + deliveryId);
        }
        return send(sent, 1);
    }

    /** Every webhook registered, with its secret (for tests: the application must never print it). */
    public List<Webhook> webhooks() {
        return List.copyOf(this.webhooks);
    }

    /** Every delivery finished (succeeded or given up), oldest first. */
    public List<Delivery> deliveries() {
        return List.copyOf(this.deliveries);
    }

    void clear() {
        this.webhooks.clear();
        this.deliveries.clear();
        this.sentBodies.clear();
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

    private CompletableFuture<Delivery> send(Sent sent, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sent.webhook().url()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .header("X-Quip-Signature", "sha256=" + HexFormat.of().formatHex(hmac(sent.webhook().secret(), sent.body())))
            .header("X-Quip-Event", sent.eventType())
            .header("X-Quip-Delivery-Id", sent.deliveryId())
            .POST(HttpRequest.BodyPublishers.ofByteArray(sent.body()))
            .build();
        return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
            .handle((response, error) -> (response != null) ? response.statusCode() : null)
            .thenCompose((status) -> {
                boolean success = status != null && status >= 200 && status < 300;
                if (!success && attempt < ATTEMPTS) {
                    Executor later = CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis() * attempt,
                            TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, later).thenCompose((ignored) -> send(sent, attempt + 1));
                }
                Delivery delivery = new Delivery(sent.deliveryId(), sent.webhook().id(), sent.eventType(),
                        success ? "success" : "failed", attempt, status, sent.createdAt(),
                        new String(sent.body(), StandardCharsets.UTF_8));
                this.deliveries.add(delivery);
                return CompletableFuture.completedFuture(delivery);
            });
    }

    Reply route(String method, String path, JsonNode body) {
        if (path.equals(COLLECTION_PATH)) {
            return switch (method) {
                case "POST" -> create(body);
                case "GET" -> list();
                default -> Reply.error(405, "METHOD_NOT_ALLOWED", method + " is not allowed here")
                    .withHeader("Allow", "GET, POST");
            };
        }
        String id = path.substring(COLLECTION_PATH.length() + 1);
        if (!method.equals("GET")) {
            return Reply.error(405, "METHOD_NOT_ALLOWED", method + " is not allowed here").withHeader("Allow", "GET");
        }
        return this.webhooks.stream()
            .filter((webhook) -> webhook.id().equals(id))
            .findFirst()
            .map((webhook) -> Reply.data(200, describe(webhook, true)))
            .orElseGet(() -> Reply.error(404, "NOT_FOUND", "No webhook with id " + id));
    }

    /** Parses a request body for {@link #route}; null when it is not JSON. */
    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return this.json.readTree(body);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    private Reply create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            return Reply.validationError("Request body is not a JSON object",
                    List.of(new FieldError("body", "is not a JSON object")));
        }
        body.propertyNames().forEach((name) -> {
            if (!CREATE_FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a known field"));
            }
        });
        JsonNode url = body.path("url");
        if (!url.isString() || !deliverable(url.stringValue())) {
            errors.add(new FieldError("url", "must be an https URL"));
        }
        JsonNode events = body.path("events");
        Set<String> expanded = new LinkedHashSet<>();
        List<String> subscribed = new ArrayList<>();
        if (!events.isArray() || events.isEmpty()) {
            errors.add(new FieldError("events", "is required: a non-empty array of event types"));
        }
        else {
            for (JsonNode event : events.values()) {
                List<String> matching = event.isString() ? expand(event.stringValue()) : List.of();
                if (matching.isEmpty()) {
                    errors.add(new FieldError("events", "has an unknown event type: " + event));
                }
                expanded.addAll(matching);
                subscribed.add(event.asString().strip());
            }
        }
        JsonNode description = body.path("description");
        if (!description.isMissingNode() && !description.isNull() && !description.isString()) {
            errors.add(new FieldError("description", "must be a string"));
        }
        if (!errors.isEmpty()) {
            return Reply.validationError("Request validation failed", errors);
        }
        byte[] secret = new byte[32];
        this.random.nextBytes(secret);
        Webhook webhook = new Webhook("wh-" + this.sequence.incrementAndGet() + "-" + UUID.randomUUID(),
                url.stringValue(), List.copyOf(expanded), List.copyOf(subscribed), description.isString() ? description.stringValue() : null,
                true, HexFormat.of().formatHex(secret), this.clock.instant());
        this.webhooks.add(webhook);
        ObjectNode data = describe(webhook, false);
        data.put("secret", webhook.secret());
        return Reply.data(201, data);
    }

    private Reply list() {
        ObjectNode response = this.json.createObjectNode();
        ArrayNode data = response.putArray("data");
        this.webhooks.forEach((webhook) -> data.add(describe(webhook, false)));
        ObjectNode meta = response.putObject("meta");
        meta.put("has_more", false);
        meta.putNull("next_cursor");
        return Reply.json(200, response);
    }

    private ObjectNode describe(Webhook webhook, boolean withDeliveries) {
        ObjectNode node = this.json.createObjectNode();
        node.put("id", webhook.id());
        node.put("url", webhook.url());
        ArrayNode events = node.putArray("events");
        webhook.events().forEach(events::add);
        node.put("description", webhook.description());
        node.put("is_active", webhook.active());
        node.put("created_at", TIMESTAMP.format(webhook.createdAt()));
        node.put("updated_at", TIMESTAMP.format(webhook.createdAt()));
        if (withDeliveries) {
            ArrayNode recent = node.putArray("recent_deliveries");
            List<Delivery> own = this.deliveries.stream().filter((d) -> d.webhookId().equals(webhook.id())).toList();
            for (int i = own.size() - 1; i >= Math.max(0, own.size() - RECENT_DELIVERIES); i--) {
                Delivery delivery = own.get(i);
                ObjectNode item = recent.addObject();
                item.put("id", delivery.id());
                item.put("event_type", delivery.eventType());
                item.put("status", delivery.status());
                item.put("attempts", delivery.attempts());
                if (delivery.lastResponseStatus() != null) {
                    item.put("last_response_status", delivery.lastResponseStatus());
                }
                else {
                    item.putNull("last_response_status");
                }
                item.put("created_at", TIMESTAMP.format(delivery.createdAt()));
            }
        }
        return node;
    }

    private static List<String> expand(String event) {
        String type = event.strip();
        List<String> all = new ArrayList<>(LOGISTICS_EVENTS);
        all.addAll(QUOTE_EVENTS);
        if (type.endsWith(".*")) {
            String family = type.substring(0, type.length() - 1);
            return all.stream().filter((known) -> known.startsWith(family)).toList();
        }
        return all.contains(type) ? List.of(type) : List.of();
    }

    private static boolean deliverable(String url) {
        try {
            URI uri = new URI(url);
            String scheme = (uri.getScheme() == null) ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (host == null) {
                return false;
            }
            return scheme.equals("https") || (scheme.equals("http") && (host.equalsIgnoreCase("localhost")
                    || host.equals("127.0.0.1") || host.equals("[::1]")));
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    private static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /**
     * A webhook endpoint registered with the sandbox.
     *
     * @param id its id
     * @param url where it delivers
     * @param events the event types it receives, wildcards expanded
     * @param subscribed the event types as requested, wildcards included
     * @param description its description, may be null
     * @param active whether it delivers
     * @param secret the signing secret (shown in {@code toString} as stars)
     * @param createdAt when it was registered
     */
    public record Webhook(String id, String url, List<String> events, List<String> subscribed, String description,
            boolean active, String secret, Instant createdAt) {

        /** By the events as subscribed: {@code logistics.*} receives any logistics event the lifecycle sends. */
        boolean receives(String eventType) {
            return this.subscribed.stream()
                .anyMatch((pattern) -> pattern.equals(eventType) || (pattern.endsWith(".*")
                        && eventType.startsWith(pattern.substring(0, pattern.length() - 1))));
        }

        @Override
        public String toString() {
            return "Webhook[id=" + this.id + ", url=" + this.url + ", events=" + this.events + ", secret=****]";
        }

    }

    /**
     * One delivery of an event to one webhook, once it succeeded or gave up.
     *
     * @param id its {@code X-Quip-Delivery-Id}
     * @param webhookId the webhook it went to
     * @param eventType the event
     * @param status {@code success} (a 2xx) or {@code failed}
     * @param attempts how often it was sent
     * @param lastResponseStatus the last answer's status, null when there was none
     * @param createdAt when the event was created
     * @param body the JSON body sent
     */
    public record Delivery(String id, String webhookId, String eventType, String status, int attempts,
            Integer lastResponseStatus, Instant createdAt, String body) {
    }

    private record Sent(Webhook webhook, String deliveryId, String eventType, byte[] body, Instant createdAt) {
    }

}
