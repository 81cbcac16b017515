package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.ChannelOption;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * The two vendor calls bulk-offboarding makes, one HTTP request each, paced by the
 * {@link RequestPacer}: create a device action (classified into an {@link AttemptOutcome}, never an
 * error for a row-level problem), and list device actions for reconciling.
 *
 * <p>Reactor Netty's own retry is switched off: it may resend a request on a reset connection,
 * and for a POST that could be a second wipe. Retrying is {@link DeviceActionSubmitter}'s job.
 */
public class DeviceActionClient implements AutoCloseable {

    static final String DEVICE_ACTIONS_PATH = "/api/v1/device-actions";

    /** For a device that is not in the company's inventory (quipteams-api.md §8). */
    static final String EXTERNAL_DEVICE_ACTIONS_PATH = DEVICE_ACTIONS_PATH + "/external";

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The list endpoint's largest page (quipteams-api.md §5). */
    static final int PAGE_SIZE = 100;

    /** A listing longer than this is not one device's history: something is wrong. */
    private static final int MAX_PAGES = 100;

    private static final DateTimeFormatter VENDOR_TIMESTAMP = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Idle keep-alive connections older than this risk being closed by the server as we reuse them. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(20);

    /** How long the warm-up may take before its thread gives up (the first request then finishes it). */
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);

    private final WebClient webClient;
    private final HttpClient httpClient;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private final ConnectionProvider connections;
    private final RequestPacer pacer;
    private final Clock clock;
    private final URI baseUrl;

    public DeviceActionClient(WebClient.Builder builder, ApiEndpoint endpoint, QuipteamsProperties properties,
            RequestPacer pacer) {
        this(builder, endpoint, properties, pacer, Clock.systemUTC());
    }

    DeviceActionClient(WebClient.Builder builder, ApiEndpoint endpoint, QuipteamsProperties properties,
            RequestPacer pacer, Clock clock) {
        this.pacer = pacer;
        this.clock = clock;
        this.baseUrl = endpoint.baseUrl();
        // enough connections for every request in flight, so none waits for the pool
        this.connections = ConnectionProvider.builder("quipteams")
                .maxConnections(properties.maxInFlight())
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(MAX_IDLE)
                .build();
        this.httpClient = HttpClient.create(connections)
                // Reactor Netty has no response timeout by default: a silent vendor would hang the run
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                .responseTimeout(properties.responseTimeout())
                .disableRetry(true);
        this.webClient = builder.clone()
                .baseUrl(endpoint.baseUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .defaultHeader(HttpHeaders.AUTHORIZATION, endpoint.apiKey().bearerValue())
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .build();
    }

    /**
     * Prepares, in a background thread and once, what the first request would otherwise prepare
     * itself: Reactor Netty's event loops, its native transport and its host name resolver. Opens no
     * connection and sends nothing; a run calls it when it starts, so that this happens while the
     * file is staged rather than before the run's first request.
     */
    public void warmUpInBackground() {
        if (!warmUpStarted.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                httpClient.warmup().block(WARM_UP_TIMEOUT);
            }
            catch (RuntimeException ex) {
                // nothing lost: the first request prepares whatever is missing, and reports its own errors
            }
        }, "quipteams-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * One POST of {@code submission.body()} as is, with its {@code Idempotency-Key}. Emits the
     * classified outcome; errors only with a {@link SystemicFailureException} from the pacer.
     */
    public Mono<AttemptOutcome> create(Submission submission) {
        return create(submission, null, null);
    }

    /**
     * As {@link #create(Submission)}, running {@code beforeSend} (if not null) once the pacer let
     * the request go and before it leaves, on a thread where blocking is fine. If it fails, nothing
     * is sent and the publisher errors with a {@link SystemicFailureException}. {@code whenSent}
     * (if not null) runs, on an I/O thread and so without blocking, as the request's bytes start to
     * leave: a connection may take up to the connect timeout to open before that.
     */
    public Mono<AttemptOutcome> create(Submission submission, Runnable beforeSend, Runnable whenSent) {
        byte[] body = submission.body().getBytes(StandardCharsets.UTF_8);
        return pacer.paced(() -> {
            Mono<Void> recorded = (beforeSend == null) ? Mono.empty()
                    : Mono.fromRunnable(beforeSend)
                            .subscribeOn(Schedulers.boundedElastic())
                            .onErrorMap(error -> !(error instanceof SystemicFailureException),
                                    error -> new SystemicFailureException("Could not record that "
                                            + submission.idempotencyKey() + " is being sent, so it was not sent: "
                                            + AttemptOutcome.truncate(String.valueOf(error.getMessage())), error))
                            .then();
            // a 429 may have paused every request while the send was being recorded
            return recorded.then(pacer.awaitPause()).then(Mono.defer(() -> post(submission, body, whenSent)));
        });
    }

    private Mono<AttemptOutcome> post(Submission submission, byte[] body, Runnable whenSent) {
        // set once bytes of this request start to leave: before that, the vendor cannot have it
        AtomicBoolean requestSent = new AtomicBoolean();
        return webClient.post()
                .uri(submission.external() ? EXTERNAL_DEVICE_ACTIONS_PATH : DEVICE_ACTIONS_PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .contentLength(body.length)
                .header(IDEMPOTENCY_KEY, submission.idempotencyKey())
                .body((message, context) -> message.writeWith(Mono.fromSupplier(() -> {
                    requestSent.set(true);
                    if (whenSent != null) {
                        whenSent.run();
                    }
                    return message.bufferFactory().wrap(body);
                })))
                .exchangeToMono(this::classify)
                .onErrorResume(error -> !(error instanceof SystemicFailureException),
                        error -> Mono.just(AttemptOutcome.fromError(error, requestSent.get())));
    }

    private Mono<AttemptOutcome> classify(ClientResponse response) {
        HttpHeaders headers = response.headers().asHttpHeaders();
        pacer.onResponseHeaders(headers);
        // the status decides; a body we fail to read (cut off, too large) only loses details
        return readBody(response).map(body -> {
            AttemptOutcome outcome = AttemptOutcome.fromResponse(response.statusCode().value(), headers, body,
                    clock.instant(), baseUrl);
            if (outcome instanceof AttemptOutcome.NotSent notSent && notSent.httpStatus() != null) {
                pacer.onRateLimited(notSent.retryAt());
            }
            return outcome;
        });
    }

    /**
     * Every device action whose serial matches {@code serialNumber} (the vendor's filter is partial
     * and case-insensitive: compare exactly with {@link RemoteDeviceAction#matches}), of
     * {@code actionType}, created after {@code createdAfter}; all pages. Errors with a
     * {@link SystemicFailureException} for 401/403 and a {@link QuipteamsCallException} for any
     * other failure.
     */
    public Mono<List<RemoteDeviceAction>> findActions(String serialNumber, String actionType, Instant createdAfter) {
        return page(serialNumber, actionType, createdAfter, null, new ArrayList<>(), 1);
    }

    private Mono<List<RemoteDeviceAction>> page(String serialNumber, String actionType, Instant createdAfter,
            String cursor, List<RemoteDeviceAction> found, int pageNumber) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("serial_number", serialNumber.strip());
        query.put("action_type", actionType.strip());
        query.put("created_after", VENDOR_TIMESTAMP.format(createdAfter));
        query.put("limit", PAGE_SIZE);
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        // a GET: it shares the key's budget with the POSTs, and gives them way when both wait
        return pacer.pacedRead(() -> webClient.get()
                .uri(uri -> {
                    uri.path(DEVICE_ACTIONS_PATH);
                    // template variables are encoded strictly: a '+' or '&' in a serial stays data
                    query.keySet().forEach(name -> uri.queryParam(name, "{" + name + "}"));
                    return uri.build(query);
                })
                .exchangeToMono(this::readPage)
                .onErrorMap(error -> !(error instanceof SystemicFailureException || error instanceof QuipteamsCallException),
                        error -> new QuipteamsCallException(null,
                                "listing device actions failed: " + AttemptOutcome.describe(error))))
                .flatMap(page -> {
                    found.addAll(page.actions());
                    if (!page.hasMore()) {
                        return Mono.just(List.copyOf(found));
                    }
                    if (page.nextCursor() == null || page.nextCursor().equals(cursor) || pageNumber >= MAX_PAGES) {
                        // stopping here could miss the action we are looking for
                        return Mono.error(new QuipteamsCallException(200,
                                "the device-action list says has_more but gives no usable next_cursor"));
                    }
                    return page(serialNumber, actionType, createdAfter, page.nextCursor(), found, pageNumber + 1);
                });
    }

    private Mono<Page> readPage(ClientResponse response) {
        HttpHeaders headers = response.headers().asHttpHeaders();
        pacer.onResponseHeaders(headers);
        int status = response.statusCode().value();
        return readBody(response).flatMap(body -> {
            if (response.statusCode().is2xxSuccessful()) {
                return Mono.justOrEmpty(Page.parse(body)).switchIfEmpty(Mono.error(() -> new QuipteamsCallException(status,
                        "the device-action list is not the documented {\"data\": [...]} envelope")));
            }
            AttemptOutcome outcome = AttemptOutcome.fromResponse(status, headers, body, clock.instant(), baseUrl);
            if (outcome instanceof AttemptOutcome.Systemic systemic) {
                return Mono.error(systemic.toException());
            }
            if (outcome instanceof AttemptOutcome.NotSent notSent && status == 429) {
                pacer.onRateLimited(notSent.retryAt());
            }
            return Mono.error(new QuipteamsCallException(status, "listing device actions failed with HTTP " + status));
        });
    }

    private static Mono<String> readBody(ClientResponse response) {
        return response.bodyToMono(String.class).defaultIfEmpty("").onErrorReturn("");
    }

    /** The configured WebClient (base URL, key, timeouts): for the package's other listings. */
    WebClient webClient() {
        return webClient;
    }

    /** The pacer every request of this key goes through. */
    RequestPacer pacer() {
        return pacer;
    }

    /** Where requests go: the API root, as configured (or the sandbox's). */
    URI baseUrl() {
        return baseUrl;
    }

    /** Releases the connection pool. */
    @Override
    public void close() {
        connections.dispose();
    }

    /** One page of the list endpoint. */
    private record Page(List<RemoteDeviceAction> actions, boolean hasMore, String nextCursor) {

        /** Null when the body is not the list envelope: "unreadable" must not mean "not found". */
        static Page parse(String body) {
            JsonNode json = QuipteamsJson.parseOrNull(body);
            if (json == null || !json.path("data").isArray()) {
                return null;
            }
            List<RemoteDeviceAction> actions = new ArrayList<>();
            for (JsonNode item : json.path("data").values()) {
                actions.add(new RemoteDeviceAction(
                        QuipteamsJson.text(item.path("id")),
                        QuipteamsJson.text(item.path("action_id")),
                        QuipteamsJson.text(item.path("action_type")),
                        QuipteamsJson.text(item.path("status")),
                        QuipteamsJson.text(item.path("device").path("serial_number")),
                        QuipteamsJson.text(item.path("serial_number")),
                        instant(QuipteamsJson.text(item.path("created_at"))),
                        item.path("wipe").isBoolean() ? item.path("wipe").booleanValue() : null,
                        QuipteamsJson.text(item.path("current_user").path("email")),
                        QuipteamsJson.text(item.path("new_recipient").path("email"))));
            }
            JsonNode meta = json.path("meta");
            String nextCursor = QuipteamsJson.text(meta.path("next_cursor"));
            return new Page(actions, meta.path("has_more").asBoolean(false),
                    (nextCursor == null || nextCursor.isBlank()) ? null : nextCursor);
        }

        private static Instant instant(String text) {
            try {
                return (text == null) ? null : Instant.parse(text);
            }
            catch (DateTimeParseException unreadable) {
                return null;
            }
        }

    }

}
