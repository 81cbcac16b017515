package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * Lists every device action created after an instant, 100 per page, following
 * {@code meta.next_cursor} (quipteams-api.md §5, §9): what tracking reads instead of one GET per
 * action. Each page is one GET paced with the key's budget ({@link RequestPacer#pacedRead}), and is
 * handed over as it arrives, so a long listing never sits in memory whole.
 *
 * <p>A 401 or 403 is systemic (no later page can do better); a body that is not the documented
 * list envelope (an HTML page from a proxy, say) is an error, never an empty page: "unreadable"
 * must not read as "nothing changed". A cursor that comes back again ends the listing with an error
 * rather than loop forever.
 */
public class ActionListing {

    /** The list endpoint's largest page. */
    static final int PAGE_SIZE = DeviceActionClient.PAGE_SIZE;

    /** A million actions: more pages than that means the cursor does not move forward. */
    private static final int MAX_PAGES = 10_000;

    /** Retries of one page after a 429, a 5xx or a network failure (reads are safe to repeat). */
    private static final int PAGE_RETRIES = 3;

    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

    private static final DateTimeFormatter VENDOR_TIMESTAMP = DateTimeFormatter
        .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private final DeviceActionClient client;

    private final Clock clock;

    private final Duration firstRetryDelay;

    public ActionListing(DeviceActionClient client) {
        this(client, Clock.systemUTC(), FIRST_RETRY_DELAY);
    }

    ActionListing(DeviceActionClient client, Clock clock, Duration firstRetryDelay) {
        this.client = client;
        this.clock = clock;
        this.firstRetryDelay = firstRetryDelay;
    }

    /**
     * Hands every device action created after {@code createdAfter} to {@code eachPage}, one page at
     * a time, on the calling thread. Items without an {@code id} are left out (they cannot be tied
     * to anything we sent).
     *
     * @return how many pages and actions were read
     * @throws SystemicFailureException when the key is rejected (401, 403), or a rate-limit wait is
     *     longer than {@code quipteams.max-rate-limit-wait}
     * @throws QuipteamsCallException when a page cannot be read (after retries), is not the list
     *     envelope, or the cursors do not move forward
     */
    public Listed forEachCreatedAfter(Instant createdAfter, Consumer<List<VendorState>> eachPage) {
        Set<String> cursorsSeen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        long items = 0;
        while (true) {
            Page page = fetch(createdAfter, cursor);
            pages++;
            items += page.actions().size();
            eachPage.accept(page.actions());
            if (!page.hasMore()) {
                return new Listed(pages, items);
            }
            String next = page.nextCursor();
            if (next == null) {
                throw new QuipteamsCallException(200, "the device-action list says has_more but gives no next_cursor "
                        + "(page " + pages + ")");
            }
            if (!cursorsSeen.add(next) || pages >= MAX_PAGES) {
                throw new QuipteamsCallException(200, "the device-action list's next_cursor does not move forward "
                        + "(page " + pages + " gave a cursor seen before): stopped listing");
            }
            cursor = next;
        }
    }

    private Page fetch(Instant createdAfter, String cursor) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("created_after", VENDOR_TIMESTAMP.format(createdAfter));
        query.put("limit", PAGE_SIZE);
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        RequestPacer pacer = this.client.pacer();
        Mono<Page> page = pacer.pacedRead(() -> this.client.webClient()
            .get()
            .uri((uri) -> {
                uri.path(DeviceActionClient.DEVICE_ACTIONS_PATH);
                // template variables are encoded strictly: a cursor's '+' or '/' stays data
                query.keySet().forEach((name) -> uri.queryParam(name, "{" + name + "}"));
                return uri.build(query);
            })
            .exchangeToMono(this::readPage)
            .onErrorMap((error) -> !(error instanceof SystemicFailureException
                    || error instanceof QuipteamsCallException),
                    (error) -> new QuipteamsCallException(null,
                            "listing device actions failed: " + AttemptOutcome.describe(error))));
        return page.retryWhen(Retry.backoff(PAGE_RETRIES, this.firstRetryDelay)
            .filter(ActionListing::worthRetrying)
            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
            .block();
    }

    private static boolean worthRetrying(Throwable error) {
        if (!(error instanceof QuipteamsCallException call) || error instanceof MalformedList) {
            return false;
        }
        Integer status = call.httpStatus();
        return status == null || status == 429 || status == 408 || status >= 500;
    }

    private Mono<Page> readPage(ClientResponse response) {
        HttpHeaders headers = response.headers().asHttpHeaders();
        RequestPacer pacer = this.client.pacer();
        pacer.onResponseHeaders(headers);
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").onErrorReturn("").flatMap((body) -> {
            if (response.statusCode().is2xxSuccessful()) {
                return Mono.justOrEmpty(Page.parse(body))
                    .switchIfEmpty(Mono.error(() -> new MalformedList(status,
                            AttemptOutcome.where(this.client.baseUrl()) + " answered the device-action list with "
                                    + what(headers, body) + ", not the documented {\"data\": [...]} envelope; "
                                    + "check quipteams.base-url")));
            }
            AttemptOutcome outcome = AttemptOutcome.fromResponse(status, headers, body, this.clock.instant(),
                    this.client.baseUrl());
            if (status == 401 || status == 403) {
                return Mono.error(new SystemicFailureException("API key " + ((status == 401) ? "rejected" : "not "
                        + "allowed to list device actions") + " (HTTP " + status + "): check QUIPTEAMS_API_KEY"
                        + ((status == 403) ? " and the key's scopes (device_actions:read)" : "")));
            }
            if (outcome instanceof AttemptOutcome.Systemic systemic) {
                return Mono.error(systemic.toException());
            }
            if (outcome instanceof AttemptOutcome.NotSent notSent && status == 429) {
                pacer.onRateLimited(notSent.retryAt());
            }
            return Mono.error(new QuipteamsCallException(status, "listing device actions failed with HTTP " + status));
        });
    }

    private static String what(HttpHeaders headers, String body) {
        String start = (body == null) ? "" : body.stripLeading();
        String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        if (start.startsWith("<") || (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("html"))) {
            return "an HTML page";
        }
        return start.isEmpty() ? "an empty body" : "a body that is not a JSON list";
    }

    /**
     * What one listing read.
     *
     * @param pages the pages fetched
     * @param actions the actions with an id they held
     */
    public record Listed(int pages, long actions) {
    }

    /** A 2xx whose body is not the list: asking again would get the same page from the same proxy. */
    private static final class MalformedList extends QuipteamsCallException {

        MalformedList(int httpStatus, String message) {
            super(httpStatus, message);
        }

    }

    /** One page of the list endpoint, as vendor states. */
    private record Page(List<VendorState> actions, boolean hasMore, String nextCursor) {

        /** Null when the body is not the list envelope. */
        static Page parse(String body) {
            JsonNode json = QuipteamsJson.parseOrNull(body);
            if (json == null || !json.path("data").isArray()) {
                return null;
            }
            List<VendorState> actions = new ArrayList<>();
            for (JsonNode item : json.path("data").values()) {
                Optional<VendorState> state = VendorState.from(item);
                state.ifPresent(actions::add);
            }
            JsonNode meta = json.path("meta");
            String nextCursor = QuipteamsJson.text(meta.path("next_cursor"));
            return new Page(actions, meta.path("has_more").asBoolean(false),
                    (nextCursor == null || nextCursor.isBlank()) ? null : nextCursor);
        }

    }

}
