package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.netty.channel.ChannelOption;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The vendor's webhook endpoints (§13 of quipteams-api.md): create one ({@code POST
 * /api/v1/webhooks}, whose answer carries the endpoint's signing secret) and read them with their
 * recent deliveries ({@code GET /api/v1/webhooks}, {@code GET /api/v1/webhooks/{id}}). Blocking
 * calls for the command line, paced with every other request of the key. The secret is returned
 * as a {@link WebhookSecret}; no message or exception of this class ever contains it.
 */
public class WebhookClient implements AutoCloseable {

    static final String WEBHOOKS_PATH = "/api/v1/webhooks";

    /** A webhook listing longer than this many pages is not a company's handful of endpoints. */
    private static final int MAX_PAGES = 20;

    /** Margin over the response timeout for a blocking call that also waits for the pacer. */
    private static final Duration PACING_MARGIN = Duration.ofMinutes(2);

    private final ApiEndpoint endpoint;

    private final QuipteamsProperties properties;

    private final RequestPacer pacer;

    private final WebClient.Builder builder;

    // built on first use: commands that never call the vendor's webhooks pay nothing for it
    private ConnectionProvider connections;

    private WebClient webClient;

    public WebhookClient(WebClient.Builder builder, ApiEndpoint endpoint, QuipteamsProperties properties,
            RequestPacer pacer) {
        this.builder = builder;
        this.endpoint = endpoint;
        this.properties = properties;
        this.pacer = pacer;
    }

    /**
     * Creates a webhook endpoint. Throws a {@link SystemicFailureException} when the key is rejected
     * (401/403), a {@link QuipteamsCallException} with the vendor's code and message for any other
     * refusal or an answer without the secret.
     *
     * @param url where the vendor delivers (HTTPS for the real vendor)
     * @param events the event types, wildcards such as {@code logistics.*} allowed
     * @param description shown in the vendor's dashboard, may be null
     */
    public Registered register(URI url, List<String> events, String description) {
        ObjectNode body = QuipteamsJson.MAPPER.createObjectNode();
        body.put("url", url.toString());
        ArrayNode eventArray = body.putArray("events");
        events.forEach(eventArray::add);
        if (description != null && !description.isBlank()) {
            body.put("description", description.strip());
        }
        byte[] bytes = QuipteamsJson.MAPPER.writeValueAsBytes(body);
        JsonNode answer = block(this.pacer.paced(() -> client().post()
            .uri(WEBHOOKS_PATH)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(bytes)
            .exchangeToMono((response) -> read(response, "creating the webhook"))));
        JsonNode data = answer.path("data");
        String secret = QuipteamsJson.text(data.path("secret"));
        Webhook webhook = Webhook.from(data);
        if (webhook.id() == null || secret == null || secret.isBlank()) {
            throw new QuipteamsCallException(null, "Quipteams created the webhook but its answer has no "
                    + ((webhook.id() == null) ? "id" : "secret") + ": look it up in the Quipteams dashboard");
        }
        return new Registered(webhook, WebhookSecret.of(secret));
    }

    /** Every webhook endpoint of the company, each with its recent deliveries (one GET per endpoint). */
    public List<Webhook> list() {
        List<Webhook> webhooks = new ArrayList<>();
        String cursor = null;
        for (int page = 1; page <= MAX_PAGES; page++) {
            String pageCursor = cursor;
            JsonNode answer = block(this.pacer.pacedRead(() -> client().get()
                .uri((uri) -> {
                    uri.path(WEBHOOKS_PATH);
                    if (pageCursor != null) {
                        uri.queryParam("cursor", "{cursor}");
                        return uri.build(pageCursor);
                    }
                    return uri.build();
                })
                .exchangeToMono((response) -> read(response, "listing webhooks"))));
            for (JsonNode item : answer.path("data").values()) {
                Webhook listed = Webhook.from(item);
                webhooks.add((listed.id() != null && !item.has("recent_deliveries")) ? get(listed.id()) : listed);
            }
            String next = QuipteamsJson.text(answer.path("meta").path("next_cursor"));
            if (!answer.path("meta").path("has_more").asBoolean(false) || next == null || next.equals(cursor)) {
                break;
            }
            cursor = next;
        }
        return List.copyOf(webhooks);
    }

    /** One webhook endpoint with its recent deliveries. */
    public Webhook get(String id) {
        JsonNode answer = block(this.pacer.pacedRead(() -> client().get()
            .uri(WEBHOOKS_PATH + "/{id}", id)
            .exchangeToMono((response) -> read(response, "reading webhook " + id))));
        return Webhook.from(answer.path("data"));
    }

    private Mono<JsonNode> read(ClientResponse response, String doing) {
        HttpHeaders headers = response.headers().asHttpHeaders();
        this.pacer.onResponseHeaders(headers);
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").onErrorReturn("").flatMap((text) -> {
            JsonNode json = QuipteamsJson.parseOrNull(text);
            if (response.statusCode().is2xxSuccessful() && json != null && json.has("data")) {
                return Mono.just(json);
            }
            String code = (json == null) ? null : QuipteamsJson.text(json.path("error").path("code"));
            String message = (json == null) ? null : QuipteamsJson.text(json.path("error").path("message"));
            String described = status + ((code != null) ? " " + code : "")
                    + ((message != null) ? ": " + AttemptOutcome.truncate(message) : "");
            if (status == 401) {
                return Mono.error(new SystemicFailureException(
                        "API key rejected (" + described + "): check QUIPTEAMS_API_KEY"));
            }
            if (status == 403) {
                return Mono.error(new SystemicFailureException("API key not allowed to manage webhooks (" + described
                        + "): check the key's scopes and that API access is enabled for the company"));
            }
            if (status == 429) {
                this.pacer.onRateLimited(RateLimitHeaders.retryAt(headers, Instant.now()));
            }
            return Mono.error(new QuipteamsCallException(status, doing + " failed: "
                    + (response.statusCode().is2xxSuccessful() ? status + " without the documented {\"data\": ...}"
                            : described)));
        });
    }

    private JsonNode block(Mono<JsonNode> call) {
        try {
            return Objects.requireNonNull(call.onErrorMap(
                    (error) -> !(error instanceof SystemicFailureException || error instanceof QuipteamsCallException),
                    (error) -> new QuipteamsCallException(null, "Quipteams did not answer: " + AttemptOutcome.describe(error)))
                .block(this.properties.responseTimeout().plus(PACING_MARGIN)));
        }
        catch (IllegalStateException timedOut) {
            throw new QuipteamsCallException(null, "Quipteams did not answer in time");
        }
    }

    private synchronized WebClient client() {
        if (this.webClient == null) {
            this.connections = ConnectionProvider.builder("quipteams-webhooks").maxConnections(2).build();
            HttpClient http = HttpClient.create(this.connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(this.properties.connectTimeout().toMillis()))
                .responseTimeout(this.properties.responseTimeout())
                // a POST resent on a reset connection would create a second webhook
                .disableRetry(true);
            this.webClient = this.builder.clone()
                .baseUrl(this.endpoint.baseUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader(HttpHeaders.AUTHORIZATION, this.endpoint.apiKey().bearerValue())
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .build();
        }
        return this.webClient;
    }

    @Override
    public synchronized void close() {
        if (this.connections != null) {
            this.connections.dispose();
        }
    }

    private static Instant instant(JsonNode node) {
        String text = QuipteamsJson.text(node);
        try {
            return (text == null) ? null : Instant.parse(text.strip());
        }
        catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static Integer integer(JsonNode node) {
        return node.isNumber() ? node.asInt() : null;
    }

    /**
     * A webhook endpoint as the vendor describes it; never its secret.
     *
     * @param id the endpoint's id
     * @param url where it delivers
     * @param events the event types it receives (the vendor expands wildcards)
     * @param description its description, may be null
     * @param active {@code is_active}, null when not sent
     * @param createdAt when it was created
     * @param recentDeliveries its latest deliveries, newest first as the vendor sends them
     */
    public record Webhook(String id, String url, List<String> events, String description, Boolean active,
            Instant createdAt, List<Delivery> recentDeliveries) {

        public Webhook {
            events = List.copyOf(events);
            recentDeliveries = List.copyOf(recentDeliveries);
        }

        static Webhook from(JsonNode data) {
            List<String> events = new ArrayList<>();
            data.path("events").values().forEach((event) -> {
                String text = QuipteamsJson.text(event);
                if (text != null) {
                    events.add(text);
                }
            });
            List<Delivery> deliveries = new ArrayList<>();
            data.path("recent_deliveries").values().forEach((delivery) -> deliveries.add(new Delivery(
                    QuipteamsJson.text(delivery.path("id")), QuipteamsJson.text(delivery.path("event_type")),
                    QuipteamsJson.text(delivery.path("status")), integer(delivery.path("attempts")),
                    integer(delivery.path("last_response_status")), instant(delivery.path("created_at")))));
            JsonNode active = data.path("is_active");
            return new Webhook(QuipteamsJson.text(data.path("id")), QuipteamsJson.text(data.path("url")), events,
                    QuipteamsJson.text(data.path("description")), active.isBoolean() ? active.booleanValue() : null,
                    instant(data.path("created_at")), deliveries);
        }

    }

    /**
     * One delivery of a webhook, as the vendor reports it.
     *
     * @param id the delivery's id
     * @param eventType the event delivered
     * @param status {@code success} or what else the vendor says
     * @param attempts how often the vendor tried
     * @param lastResponseStatus what our endpoint answered last, null when nothing
     * @param createdAt when the event was created
     */
    public record Delivery(String id, String eventType, String status, Integer attempts, Integer lastResponseStatus,
            Instant createdAt) {
    }

    /**
     * A webhook just created, with its signing secret ({@code toString} shows stars for it).
     *
     * @param webhook the endpoint
     * @param secret its signing secret
     */
    public record Registered(Webhook webhook, WebhookSecret secret) {
    }

}
