package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulkoffboarding.sandbox.RateLimitWindows.Decision;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process fake of the Quipteams device-action API (create, list, get), faithful to the
 * documented contract and strict where the vendor's behaviour is unknown: authentication,
 * per-key rate limits with their headers, the error envelope, body validation that rejects
 * unknown fields, and no idempotency.
 *
 * <p>It is what the application talks to when no API key is configured, and what tests and
 * benchmarks assert against: {@link #createdActions()} and {@link #requests()} tell what reached
 * the server, whatever the client believes. Failures can be injected ({@link #enqueueFaults},
 * {@link #outage}, {@link #revokeKey}, failure ratios) and random decisions come from a seeded
 * {@link Random}, so a run can be repeated.
 *
 * <p>The simulated latency never blocks a thread: responses are written later by a scheduler,
 * so hundreds of slow requests can be in flight at once.
 *
 * <p>This class is the lifecycle (listening, threads, delivering answers late) and the gateway
 * every request passes (outage, key, rate limit). What each endpoint answers is in
 * {@link SandboxRoutes} (one entry per endpoint) and {@link DeviceActionEndpoints}; list
 * parameters and cursors in {@link ListQuery}; injected failures in {@link SandboxFaults}.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(SandboxServer.class);

    private static final String SANDBOX_KEY = "qk_test_sandbox";

    private static final Pattern KEY_FORMAT = Pattern.compile("qk_(live|test)_[A-Za-z0-9_]+");

    /** The largest request body accepted; a larger one is answered {@code 413}. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** How long a {@link Fault#DELAY_AFTER_CREATE} response is held: longer than any sane client timeout. */
    private static final Duration HELD_RESPONSE = Duration.ofSeconds(60);

    /** The request log keeps the latest entries only, so a long demo run cannot exhaust the heap. */
    private static final int REQUEST_LOG_CAPACITY = 100_000;

    /** Handler threads never wait for the latency, so a few suffice even for hundreds of slow requests. */
    private static final int HANDLER_THREADS = 16;

    private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // The JDK server writes the response headers and the body as two packets. Without
        // TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed ACK: about
        // 40 ms per request, which would cap a benchmark far below the vendor's budget. The JDK
        // reads this property once, when its first HttpServer is created; an explicit setting wins.
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
    }

    private final SandboxProperties properties;

    private final Clock clock;

    private final JsonMapper json;

    private final HttpServer server;

    private final ExecutorService handlers;

    private final ScheduledExecutorService responder;

    private final DeviceActionStore store;

    private final Inventory inventory;

    private final AssetListing assetListing;

    private final ExternalDeviceCreation externalDevices;

    private final RateLimitWindows rateLimits;

    private final SandboxFaults faults;

    private final WebhookDeliveries webhooks;

    private final ActionLifecycle lifecycle;

    private final DeviceActionEndpoints deviceActions;

    private final SandboxRoutes routes;

    /** Latency jitter draws from its own generator so that it does not shift fault decisions. */
    private final Random jitterRandom;

    private final ArrayDeque<LoggedRequest> requestLog = new ArrayDeque<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger peakInFlight = new AtomicInteger();

    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile Duration latency;

    private SandboxServer(SandboxProperties properties, Clock clock) throws IOException {
        this.properties = properties;
        this.clock = clock;
        this.json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
        this.inventory = new Inventory(Pattern.compile(properties.unknownSerialPattern()), json);
        this.store = new DeviceActionStore(clock, json, inventory);
        this.assetListing = new AssetListing(inventory, json);
        this.externalDevices = new ExternalDeviceCreation(inventory, store, json);
        this.rateLimits = new RateLimitWindows(clock, properties.requestsPerMinute(), properties.realRatePerSecond(),
                properties.realBurst());
        this.faults = new SandboxFaults(properties, clock);
        this.webhooks = new WebhookDeliveries(clock, json);
        this.jitterRandom = new Random(~properties.seed());
        this.latency = properties.latency();
        this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("sandbox-http-"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("sandbox-reply-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.responder = scheduler;
        this.deviceActions = new DeviceActionEndpoints(clock, json, new DeviceActionRequestValidator(), inventory,
                store, faults, responder);
        this.routes = new SandboxRoutes(deviceActions, webhooks, assetListing, externalDevices);
        this.lifecycle = new ActionLifecycle(store, clock);
        this.lifecycle.setOnChange(this::announce);
        this.lifecycle.startTicking(scheduler);
        InetAddress loopback = InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 });
        this.server = HttpServer.create(new InetSocketAddress(loopback, properties.port()), 1024);
        this.server.setExecutor(handlers);
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    /**
     * Starts a sandbox listening on 127.0.0.1.
     * @param properties how it behaves
     * @return the running server; close it to stop it
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static SandboxServer start(SandboxProperties properties) {
        return start(properties, Clock.systemUTC());
    }

    /** Starts a sandbox whose notion of time (rate windows, outages, timestamps) comes from {@code clock}. */
    static SandboxServer start(SandboxProperties properties, Clock clock) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(clock, "clock");
        try {
            SandboxServer sandbox = new SandboxServer(properties, clock);
            logger.debug("Quipteams sandbox listening on " + sandbox.baseUri());
            return sandbox;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start the Quipteams sandbox on port " + properties.port(), ex);
        }
    }

    /**
     * @return a key the sandbox always accepts (unless revoked): {@code qk_test_sandbox}
     */
    public static String sandboxKey() {
        return SANDBOX_KEY;
    }

    /**
     * @return where the sandbox listens, such as {@code http://127.0.0.1:54321}; API paths go below it
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * @return its webhooks: what was registered, and signed deliveries to send (the lifecycle's, or a test's)
     */
    public WebhookDeliveries webhooks() {
        return webhooks;
    }

    /**
     * @return the settings the sandbox was started with (runtime changes are not reflected)
     */
    public SandboxProperties properties() {
        return properties;
    }

    /**
     * Changes the delay added to every later response.
     * @param latency the new delay, zero or more
     */
    public void setLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
    }

    /**
     * Changes the per-key budget, effective immediately in the current windows.
     * @param rpm requests per minute per key, {@code 0} for unlimited
     */
    public void setRequestsPerMinute(int rpm) {
        rateLimits.setRequestsPerMinute(rpm);
    }

    /**
     * Revokes a key: later requests with it get {@code 401 UNAUTHORIZED}.
     * @param key the API key
     */
    public void revokeKey(String key) {
        faults.revoke(key);
    }

    /**
     * Starts an outage: every request gets {@code 503 SERVICE_UNAVAILABLE} and nothing is created
     * until it ends. {@code Duration.ZERO} ends a running outage.
     * @param duration how long from now
     */
    public void outage(Duration duration) {
        faults.outage(duration);
    }

    /**
     * Makes the vendor slow to create: each later create request is answered only once its action
     * exists, {@code delay} after the request arrived (plus the latency). A client whose response
     * timeout is shorter gives up while the action is still to come. {@code Duration.ZERO} creates at
     * once again; {@link #reset()} too.
     * @param delay zero or more
     */
    public void setCreationDelay(Duration delay) {
        faults.setCreationDelay(delay);
    }

    /**
     * Makes the list endpoint lag behind creation: an action shows in lists only {@code lag} after
     * its {@code created_at} (a get by id finds it at once). {@code Duration.ZERO} shows everything
     * at once again; {@link #reset()} too.
     * @param lag zero or more
     */
    public void setListLag(Duration lag) {
        faults.setListLag(lag);
    }

    /**
     * Moves each created action through its lifecycle, one step every {@code step}: "In Progress",
     * then "Shipped" with a tracking code and link, then "Completed" (with {@code wipe_completed}
     * when a wipe was requested). {@code Duration.ZERO}, the default, keeps every action
     * "In Progress". {@link #reset()} keeps the step.
     * @param step zero or more
     */
    public void setLifecycleStep(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("lifecycle step must not be negative: " + step);
        }
        lifecycle.setStep(step);
    }

    /**
     * Remembers created actions in {@code journal} (one JSON line each), after taking back those an
     * earlier sandbox recorded there: a command started later (a {@code track} after the demo) then
     * sees the actions an earlier one created, each as far along its lifecycle as its age says.
     * Call it right after starting, before any action is created.
     * @param journal the file, created when missing
     * @return how many actions were taken back
     */
    public int rememberActionsIn(java.nio.file.Path journal) {
        int remembered = store.remember(new ActionJournal(journal, json));
        // taken back as they are now, without announcing old changes again
        store.advance(lifecycle, clock.instant());
        return remembered;
    }

    /**
     * Hears of every lifecycle change, with the action's new full object (§6), in the order the
     * changes happen; called on the sandbox's own threads, never under its locks.
     * @param onChange the listener (webhook deliveries, say)
     */
    public void setOnChange(java.util.function.Consumer<JsonNode> onChange) {
        lifecycle.setOnChange((action) -> {
            announce(action);
            onChange.accept(action);
        });
    }

    /** Delivers a lifecycle change to the registered webhooks, as the vendor's logistics event for it. */
    private void announce(JsonNode action) {
        String status = action.path("status").asString("");
        String event = switch (status) {
            case ActionLifecycle.SHIPPED -> "logistics.tracking_added";
            case ActionLifecycle.COMPLETED -> "logistics.completed";
            default -> "logistics.status_changed";
        };
        webhooks.deliver(event, action);
    }

    /**
     * Adds an action as someone else created it (in the vendor's dashboard, say), without a request:
     * it shows in lists and gets, and in {@link #createdActions()} with no idempotency key.
     * @param requestJson a create request body, validated as a POST's would be
     * @param createdAt its {@code created_at}; not before any action created so far, since lists
     *     follow creation order (seed before the test sends anything)
     * @return the action
     * @throws IllegalArgumentException if the body would not pass validation
     * @throws IllegalStateException if {@code createdAt} is before an action already created
     */
    public CreatedAction seedAction(String requestJson, Instant createdAt) {
        Objects.requireNonNull(createdAt, "createdAt");
        return deviceActions.seed(requestJson, createdAt).created();
    }

    /**
     * Adds a device to the inventory, or changes it. Once one is added, the inventory is exactly
     * the devices added (until {@link #reset()}): others are unknown to the list and to creates.
     * @param serialNumber its serial
     * @param status {@code in_storage}, {@code in_use}, ...
     * @param employee who holds it, or null
     */
    public void addDevice(String serialNumber, String status, String employee) {
        inventory.add(Objects.requireNonNull(serialNumber, "serialNumber"), Objects.requireNonNull(status, "status"),
                employee);
    }

    /**
     * Moves an action to another status, as the vendor's staff would ("Completed", say).
     * @param idOrActionId its UUID or action id
     * @param status the new status
     * @throws IllegalArgumentException if there is no such action
     */
    public void setActionStatus(String idOrActionId, String status) {
        if (!store.setStatus(idOrActionId, Objects.requireNonNull(status, "status"))) {
            throw new IllegalArgumentException("No device action " + idOrActionId);
        }
    }

    /**
     * Queues faults for the next {@code POST /api/v1/device-actions} requests that pass
     * authentication and the rate limit, one per request, in order. A queued fault replaces the
     * random failure ratios for its request. An after-create fault met by a request that creates
     * nothing (invalid body, unknown serial) is spent without effect.
     * @param faults the faults, in the order they apply
     */
    public void enqueueFaults(Fault... faults) {
        this.faults.enqueue(faults);
    }

    /**
     * Answers every {@code POST /api/v1/device-actions} for this serial number {@code 503} without
     * creating anything, until {@link #makeAvailable} or {@link #reset()}: one device whose requests
     * keep failing while the others go through.
     * @param serialNumber the serial number exactly as sent
     */
    public void makeUnavailable(String serialNumber) {
        faults.makeUnavailable(serialNumber);
    }

    /**
     * Ends {@link #makeUnavailable} for this serial number.
     * @param serialNumber the serial number exactly as sent
     */
    public void makeAvailable(String serialNumber) {
        faults.makeAvailable(serialNumber);
    }

    /**
     * @return every action created, in creation order (including those whose response was a failure)
     */
    public List<CreatedAction> createdActions() {
        return store.createdActions();
    }

    /**
     * @return the requests received, in the order their answers were decided (the latest 100,000)
     */
    public List<LoggedRequest> requests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    /**
     * Counts created actions for a device: the serial compared exactly, the action type ignoring case.
     * @param serialNumber the serial number as sent
     * @param actionType the action type
     * @return how many actions were created for them
     */
    public long createdCount(String serialNumber, String actionType) {
        return store.count(serialNumber, actionType);
    }

    /**
     * @return the highest number of requests handled at once (received but not yet answered)
     *     since start or {@link #reset()}
     */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /**
     * @return the number of requests received and not yet answered
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Forgets created actions, the request log, queued faults, revocations, rate-limit windows, any
     * outage, creation delay and list lag, and restarts the in-flight peak. Latency and budget
     * settings stay as they are; action ids keep counting so that they never repeat.
     */
    public void reset() {
        faults.clear();
        rateLimits.clear();
        store.clear();
        webhooks.clear();
        inventory.clear();
        synchronized (requestLog) {
            requestLog.clear();
        }
        peakInFlight.set(inFlight.get());
    }

    /** Stops listening at once; responses still waiting for their latency are dropped. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            responder.shutdownNow();
            handlers.shutdownNow();
            webhooks.close();
        }
    }

    @Override
    public String toString() {
        return "SandboxServer[" + baseUri() + "]";
    }

    private void handle(HttpExchange exchange) {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Instant receivedAt = clock.instant();
        URI uri = exchange.getRequestURI();
        String pathAndQuery = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
        String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        byte[] body;
        try {
            body = readBody(exchange.getRequestBody());
        }
        catch (IOException ex) {
            // The client went away while sending: there is nobody to answer.
            finish(exchange);
            return;
        }
        Reply reply;
        try {
            reply = respond(exchange, body, idempotencyKey);
        }
        catch (RuntimeException ex) {
            logger.warn("Sandbox failed to handle " + exchange.getRequestMethod() + " " + uri.getRawPath(), ex);
            reply = Reply.internalError();
        }
        String bodyText = new String(body, 0, Math.min(body.length, MAX_BODY_BYTES), StandardCharsets.UTF_8);
        log(new LoggedRequest(receivedAt, exchange.getRequestMethod(), pathAndQuery, reply.status(), bodyText,
                idempotencyKey));
        deliver(exchange, reply);
    }

    /** The checks every request passes, in the order a gateway would apply them. */
    private Reply respond(HttpExchange exchange, byte[] body, String idempotencyKey) {
        String key = bearerKey(exchange.getRequestHeaders().getFirst("Authorization"));
        if (faults.inOutage()) {
            return Reply.error(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable")
                .withHeaders(rateLimits.peek(key).headers());
        }
        if (key == null || !KEY_FORMAT.matcher(key).matches() || faults.isRevoked(key)) {
            return Reply.error(401, "UNAUTHORIZED", "Missing or invalid Authorization header")
                .withHeaders(rateLimits.peek(key).headers());
        }
        Decision budget = rateLimits.tryAcquire(key);
        if (!budget.allowed()) {
            return Reply.rateLimited(budget.retryAfterSeconds()).withHeaders(budget.headers());
        }
        URI uri = exchange.getRequestURI();
        SandboxRequest request = new SandboxRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                exchange.getRequestHeaders(), body, idempotencyKey, Map.of());
        // whoever reads sees every lifecycle step due by now, whether or not the tick came yet
        lifecycle.advance();
        return routes.dispatch(request).withHeaders(budget.headers());
    }

    /** Writes the reply once its latency has passed, on the scheduler rather than a handler thread. */
    private void deliver(HttpExchange exchange, Reply reply) {
        if (reply.later() != null) {
            try {
                responder.schedule(() -> deliver(exchange, decide(reply.later()).withHeaders(reply.headers())),
                        reply.later().after().toNanos(), TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException ex) {
                finish(exchange);
            }
            return;
        }
        byte[] bytes = (reply.body() != null) ? json.writeValueAsBytes(reply.body())
                : (reply.text() != null) ? reply.text().getBytes(StandardCharsets.UTF_8) : new byte[0];
        long delayNanos = (reply.delivery() == Reply.Delivery.HELD) ? HELD_RESPONSE.toNanos() : latencyNanos();
        if (delayNanos <= 0) {
            send(exchange, reply, bytes);
            return;
        }
        try {
            responder.schedule(() -> send(exchange, reply, bytes), delayNanos, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // Closing: the answer would go nowhere.
            finish(exchange);
        }
    }

    private static Reply decide(Reply.Later later) {
        try {
            return later.answer().get();
        }
        catch (RuntimeException ex) {
            logger.warn("Sandbox failed to answer a delayed create", ex);
            return Reply.internalError();
        }
    }

    private void send(HttpExchange exchange, Reply reply, byte[] bytes) {
        // Counted out before the first byte of the answer leaves: a client that sends its next
        // request as soon as it has this answer is never counted twice.
        inFlight.decrementAndGet();
        try {
            if (reply.delivery() == Reply.Delivery.CONNECTION_RESET) {
                // Closing an exchange before its headers are sent drops the connection: the client
                // sees the connection end without any response.
                return;
            }
            Headers headers = exchange.getResponseHeaders();
            reply.headers().forEach(headers::set);
            if (reply.body() != null) {
                headers.set("Content-Type", "application/json");
            }
            else if (bytes.length > 0) {
                headers.set("Content-Type", "text/html; charset=utf-8");
            }
            exchange.sendResponseHeaders(reply.status(), (bytes.length > 0) ? bytes.length : -1);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
        catch (IOException ex) {
            // The client gave up (a timeout, typically): the answer has nowhere to go.
        }
        finally {
            exchange.close();
        }
    }

    /** Ends an exchange that gets no answer. */
    private void finish(HttpExchange exchange) {
        inFlight.decrementAndGet();
        exchange.close();
    }

    private long latencyNanos() {
        long base = latency.toNanos();
        long jitter = properties.latencyJitter().toNanos();
        if (jitter > 0) {
            base += (long) (jitterRandom.nextDouble() * jitter);
        }
        return base;
    }

    private void log(LoggedRequest request) {
        synchronized (requestLog) {
            if (requestLog.size() == REQUEST_LOG_CAPACITY) {
                requestLog.removeFirst();
            }
            requestLog.addLast(request);
        }
    }

    /** Reads at most one byte more than the cap, so an oversized body is detected without buffering it all. */
    private static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                // Drain the rest so the connection stays usable for the 413.
                in.transferTo(OutputStream.nullOutputStream());
            }
            return body;
        }
    }

    private static String bearerKey(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return value.substring(7).trim();
    }

    private static ThreadFactory daemonThreads(String namePrefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, namePrefix + count.incrementAndGet());
            // A sandbox left open by a test must not keep the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Failures that {@link #enqueueFaults} injects into the next create requests. */
    public enum Fault {

        /** {@code 500 INTERNAL_ERROR}; nothing is created. */
        FAIL_BEFORE_CREATE,

        /** The action is created, then {@code 500 INTERNAL_ERROR} (a notification e-mail that failed). */
        FAIL_AFTER_CREATE,

        /** The action is created, then the {@code 201} is held for 60 s: the client should time out. */
        DELAY_AFTER_CREATE,

        /** The action is created, then the connection is closed without any response. */
        RESET_AFTER_CREATE,

        /** {@code 429 RATE_LIMITED} with {@code Retry-After: 2}; nothing is created. */
        RATE_LIMIT,

        /** The action is created, then {@code 200 text/html} "OK" (a proxy, or the wrong host, answered). */
        HTML_OK_AFTER_CREATE,

        /** {@code 200 text/html} "OK" and nothing is created: the request never reached the vendor proper. */
        HTML_OK_WITHOUT_CREATE,

        /**
         * {@code 504 GATEWAY_TIMEOUT} at once, and the action is created anyway, after the creation
         * delay ({@link #setCreationDelay}): a gateway that gave up on a slow backend.
         */
        GATEWAY_TIMEOUT_CREATE_LATER

    }

    /**
     * A device action as the sandbox created it.
     *
     * @param id the UUID ({@code data.id})
     * @param actionId the human id such as {@code DA-2026-00042} ({@code data.action_id})
     * @param serialNumber the serial number as received
     * @param actionType the action type as received
     * @param idempotencyKey the {@code Idempotency-Key} header, or null; recorded, never honoured
     * @param body the raw JSON body received
     * @param createdAt when it was created, millisecond precision
     */
    public record CreatedAction(String id, String actionId, String serialNumber, String actionType,
            String idempotencyKey, String body, Instant createdAt) {
    }

    /**
     * One request as the sandbox received it. The {@code Authorization} header is never stored.
     *
     * @param receivedAt when it arrived
     * @param method the HTTP method
     * @param pathAndQuery the raw path and query string
     * @param status the status answered, or {@code 0} when the connection was closed without a response
     * @param body the raw request body ({@code ""} when there was none)
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     */
    public record LoggedRequest(Instant receivedAt, String method, String pathAndQuery, int status, String body,
            String idempotencyKey) {
    }

}
