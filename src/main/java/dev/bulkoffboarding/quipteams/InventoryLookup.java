package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * What the vendor knows about a set of devices before anything is sent: which serials are in the
 * company's inventory (and with whom), and which device actions exist for them. Every GET goes
 * through the key's {@link RequestPacer} ({@link RequestPacer#pacedRead}), so these reads share
 * the budget with the POSTs.
 *
 * <p>Two ways to ask, chosen per file and per list by what they cost: one GET per serial
 * ({@code ?serial_number=…}), or paging through the whole list at 100 per page. The size of the
 * inventory and of the action history is unknown until the pages run out, so paging goes first
 * and stops once it has cost as many requests as one GET per serial would; the serials it has not
 * settled are then looked up one by one (the "ski rental" rule: never more than twice the cheaper
 * way, and the cheaper way itself when the list is short). 2,000 serials in an inventory of 10,000
 * devices: 100 pages, not 2,000 GETs.
 *
 * <p>Serials are compared whole on our side, ignoring case and surrounding space: the
 * device-action filter matches parts of serials ({@code C02X} finds {@code C02X1}).
 */
public class InventoryLookup {

    static final String ASSETS_PATH = "/api/v1/assets";

    private static final int PAGE_SIZE = DeviceActionClient.PAGE_SIZE;

    /** One device's history that needs more pages than this is not one device's history. */
    private static final int MAX_PAGES_PER_SERIAL = 20;

    private static final DateTimeFormatter VENDOR_TIMESTAMP = DateTimeFormatter
        .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private final WebClient webClient;

    private final RequestPacer pacer;

    private final URI baseUrl;

    private final Clock clock;

    private final int concurrency;

    private final int retries;

    private final Duration retryBackoff;

    public InventoryLookup(DeviceActionClient client, QuipteamsProperties properties) {
        this(client, properties.maxInFlight(), 3, properties.initialBackoff(), Clock.systemUTC());
    }

    InventoryLookup(DeviceActionClient client, int concurrency, int retries, Duration retryBackoff, Clock clock) {
        this.webClient = client.webClient();
        this.pacer = client.pacer();
        this.baseUrl = client.baseUrl();
        this.concurrency = Math.max(1, concurrency);
        this.retries = retries;
        this.retryBackoff = retryBackoff;
        this.clock = clock;
    }

    /**
     * Looks these devices up.
     *
     * @param serials the serials to look up, as written in the file (one per device)
     * @param actionsCreatedAfter only device actions created after this are listed
     * @return what the vendor knows, by serial key ({@link #key})
     * @throws SystemicFailureException for a rejected key (401/403)
     * @throws QuipteamsCallException when the vendor did not answer usably, even after retries
     */
    public Facts lookUp(Collection<String> serials, Instant actionsCreatedAfter) {
        Map<String, String> serialByKey = new LinkedHashMap<>();
        for (String serial : serials) {
            serialByKey.putIfAbsent(key(serial), serial.strip());
        }
        AtomicInteger requests = new AtomicInteger();
        Map<String, List<Asset>> assets = new HashMap<>();
        Strategy assetStrategy = collect(serialByKey, requests, assets,
                (cursor) -> assetsPage(null, cursor, requests), (serial) -> assetsOf(serial, requests),
                Asset::serialNumber, Asset::key);
        Map<String, List<RemoteDeviceAction>> actions = new HashMap<>();
        Strategy actionStrategy = collect(serialByKey, requests, actions,
                (cursor) -> actionsPage(null, actionsCreatedAfter, cursor, requests),
                (serial) -> actionsOf(serial, actionsCreatedAfter, requests), InventoryLookup::serialOf,
                RemoteDeviceAction::id);
        return new Facts(assets, actions, requests.get(), assetStrategy, actionStrategy);
    }

    /**
     * Fills {@code found} with the items of every serial in {@code serialByKey}: pages first, then
     * one lookup per serial for what paging could not settle within the cost of those lookups.
     */
    private <T> Strategy collect(Map<String, String> serialByKey, AtomicInteger requests, Map<String, List<T>> found,
            Function<String, Page<T>> page, Function<String, List<T>> perSerial, Function<T, String> serialOfItem,
            Function<T, String> identity) {
        if (serialByKey.isEmpty()) {
            return Strategy.NONE;
        }
        int maxPages = serialByKey.size();
        String cursor = null;
        int pages = 0;
        while (true) {
            Page<T> next = page.apply(cursor);
            pages++;
            for (T item : next.items()) {
                String serial = serialOfItem.apply(item);
                if (serial != null && serialByKey.containsKey(key(serial))) {
                    found.computeIfAbsent(key(serial), (k) -> new ArrayList<>()).add(item);
                }
            }
            if (!next.hasMore()) {
                return Strategy.PAGED;
            }
            if (next.nextCursor() == null || next.nextCursor().equals(cursor)) {
                // stopping here could miss a device: ask for each one instead
                break;
            }
            if (pages >= maxPages) {
                break;
            }
            cursor = next.nextCursor();
        }
        // Paging has cost as much as asking for each device would have: ask for each device.
        Map<String, List<T>> looked = Flux.fromIterable(serialByKey.entrySet())
            .flatMap((entry) -> Mono.fromCallable(() -> Map.entry(entry.getKey(), perSerial.apply(entry.getValue())))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), this.concurrency)
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .block();
        for (Map.Entry<String, List<T>> entry : looked.entrySet()) {
            List<T> items = found.computeIfAbsent(entry.getKey(), (k) -> new ArrayList<>());
            Set<String> seen = new HashSet<>();
            items.forEach((item) -> seen.add(String.valueOf(identity.apply(item))));
            for (T item : entry.getValue()) {
                String serial = serialOfItem.apply(item);
                if (serial != null && key(serial).equals(entry.getKey()) && seen.add(String.valueOf(identity.apply(item)))) {
                    items.add(item);
                }
            }
        }
        return Strategy.PAGED_THEN_PER_SERIAL;
    }

    private List<Asset> assetsOf(String serial, AtomicInteger requests) {
        return all((cursor) -> assetsPage(serial, cursor, requests));
    }

    private List<RemoteDeviceAction> actionsOf(String serial, Instant createdAfter, AtomicInteger requests) {
        return all((cursor) -> actionsPage(serial, createdAfter, cursor, requests));
    }

    private static <T> List<T> all(Function<String, Page<T>> page) {
        List<T> items = new ArrayList<>();
        String cursor = null;
        for (int pages = 1;; pages++) {
            Page<T> next = page.apply(cursor);
            items.addAll(next.items());
            if (!next.hasMore()) {
                return items;
            }
            if (next.nextCursor() == null || next.nextCursor().equals(cursor) || pages >= MAX_PAGES_PER_SERIAL) {
                throw new QuipteamsCallException(200, "a Quipteams list says has_more but gives no usable next_cursor");
            }
            cursor = next.nextCursor();
        }
    }

    /** {@code GET /api/v1/assets?status=all}: every status, since the default is only {@code in_storage}. */
    Page<Asset> assetsPage(String serial, String cursor, AtomicInteger requests) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", "all");
        if (serial != null) {
            query.put("serial_number", serial);
        }
        query.put("limit", PAGE_SIZE);
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        return get(ASSETS_PATH, query, requests, "the inventory (GET " + ASSETS_PATH + ")", InventoryLookup::asset);
    }

    /** {@code GET /api/v1/device-actions}, every status: the vendor's status names are not documented. */
    Page<RemoteDeviceAction> actionsPage(String serial, Instant createdAfter, String cursor, AtomicInteger requests) {
        Map<String, Object> query = new LinkedHashMap<>();
        if (serial != null) {
            query.put("serial_number", serial);
        }
        if (createdAfter != null) {
            query.put("created_after", VENDOR_TIMESTAMP.format(createdAfter));
        }
        query.put("limit", PAGE_SIZE);
        if (cursor != null) {
            query.put("cursor", cursor);
        }
        return get(DeviceActionClient.DEVICE_ACTIONS_PATH, query, requests,
                "the device actions (GET " + DeviceActionClient.DEVICE_ACTIONS_PATH + ")", InventoryLookup::action);
    }

    private <T> Page<T> get(String path, Map<String, Object> query, AtomicInteger requests, String what,
            Function<JsonNode, T> item) {
        Mono<Page<T>> call = this.pacer.pacedRead(() -> {
            requests.incrementAndGet();
            return this.webClient.get()
                .uri((uri) -> {
                    uri.path(path);
                    // template variables are encoded strictly: a '+' or '&' in a serial stays data
                    query.keySet().forEach((name) -> uri.queryParam(name, "{" + name + "}"));
                    return uri.build(query);
                })
                .exchangeToMono((response) -> read(response, what, item));
        })
            .onErrorMap((error) -> !(error instanceof SystemicFailureException || error instanceof QuipteamsCallException),
                    (error) -> new QuipteamsCallException(null, "reading " + what + " failed: "
                            + AttemptOutcome.describe(error)));
        return call.retryWhen(Retry.backoff(this.retries, this.retryBackoff)
            .filter(InventoryLookup::worthRetrying)
            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
            .block();
    }

    /** A 429, a 5xx or no answer may pass; a page that is not the vendor's list will not. */
    private static boolean worthRetrying(Throwable error) {
        if (!(error instanceof QuipteamsCallException call)) {
            return false;
        }
        Integer status = call.httpStatus();
        return status == null || status == 429 || status >= 500;
    }

    private <T> Mono<Page<T>> read(ClientResponse response, String what, Function<JsonNode, T> item) {
        HttpHeaders headers = response.headers().asHttpHeaders();
        this.pacer.onResponseHeaders(headers);
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").onErrorReturn("").flatMap((body) -> {
            if (response.statusCode().is2xxSuccessful()) {
                Page<T> page = Page.parse(body, item);
                if (page == null) {
                    // "unreadable" must never read as "not in the inventory"
                    String type = headers.getContentType() == null ? "no content type"
                            : headers.getContentType().toString();
                    return Mono.error(new QuipteamsCallException(status, AttemptOutcome.where(this.baseUrl)
                            + " answered " + status + " (" + type + ") to reading " + what
                            + ", not Quipteams' {\"data\": [...]} list: check quipteams.base-url"));
                }
                return Mono.just(page);
            }
            AttemptOutcome outcome = AttemptOutcome.fromResponse(status, headers, body, this.clock.instant(),
                    this.baseUrl);
            if (outcome instanceof AttemptOutcome.Systemic systemic) {
                return Mono.error(systemic.toException());
            }
            if (outcome instanceof AttemptOutcome.NotSent notSent && status == 429) {
                this.pacer.onRateLimited(notSent.retryAt());
            }
            return Mono.error(new QuipteamsCallException(status, "reading " + what + " failed with HTTP " + status));
        });
    }

    /** The form serials are compared in: whole, ignoring case and surrounding space. */
    public static String key(String serial) {
        return serial.strip().toUpperCase(Locale.ROOT);
    }

    private static String serialOf(RemoteDeviceAction action) {
        return (action.deviceSerialNumber() != null) ? action.deviceSerialNumber() : action.serialNumber();
    }

    private static Asset asset(JsonNode item) {
        return new Asset(QuipteamsJson.text(item.path("serial_number")), QuipteamsJson.text(item.path("status")),
                QuipteamsJson.text(item.path("employee")));
    }

    private static RemoteDeviceAction action(JsonNode item) {
        return new RemoteDeviceAction(QuipteamsJson.text(item.path("id")), QuipteamsJson.text(item.path("action_id")),
                QuipteamsJson.text(item.path("action_type")), QuipteamsJson.text(item.path("status")),
                QuipteamsJson.text(item.path("device").path("serial_number")),
                QuipteamsJson.text(item.path("serial_number")), instant(QuipteamsJson.text(item.path("created_at"))),
                item.path("wipe").isBoolean() ? item.path("wipe").booleanValue() : null,
                QuipteamsJson.text(item.path("current_user").path("email")),
                QuipteamsJson.text(item.path("new_recipient").path("email")));
    }

    private static Instant instant(String text) {
        try {
            return (text == null) ? null : Instant.parse(text);
        }
        catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    /**
     * A device in the company's inventory, as {@code GET /api/v1/assets} lists it.
     *
     * @param serialNumber {@code serial_number}
     * @param status {@code status}: {@code in_storage}, {@code in_use}, ...
     * @param employee {@code employee}: who holds it; null when nobody does (in storage)
     */
    public record Asset(String serialNumber, String status, String employee) {

        String key() {
            return (this.serialNumber == null) ? null : InventoryLookup.key(this.serialNumber) + "|" + this.employee
                    + "|" + this.status;
        }

    }

    /** How a list was read. */
    public enum Strategy {

        /** Nothing to look up. */
        NONE,
        /** Every page of the list. */
        PAGED,
        /** Some pages, then one lookup per device: the list was longer than that would cost. */
        PAGED_THEN_PER_SERIAL

    }

    /**
     * What the vendor knows about the devices looked up.
     *
     * @param assets inventory entries by serial key; a key without entries is not in the inventory
     * @param actions device actions (any status) by serial key, compared whole
     * @param requests how many GETs it took
     */
    public record Facts(Map<String, List<Asset>> assets, Map<String, List<RemoteDeviceAction>> actions, int requests,
            Strategy assetStrategy, Strategy actionStrategy) {

        public List<Asset> assetsOf(String serial) {
            return this.assets.getOrDefault(key(serial), List.of());
        }

        public List<RemoteDeviceAction> actionsOf(String serial) {
            return this.actions.getOrDefault(key(serial), List.of());
        }

    }

    /** One page of a list endpoint. */
    record Page<T>(List<T> items, boolean hasMore, String nextCursor) {

        /** Null when the body is not the list envelope. */
        static <T> Page<T> parse(String body, Function<JsonNode, T> item) {
            JsonNode json = QuipteamsJson.parseOrNull(body);
            if (json == null || !json.path("data").isArray()) {
                return null;
            }
            List<T> items = new ArrayList<>();
            for (JsonNode node : json.path("data").values()) {
                items.add(item.apply(node));
            }
            JsonNode meta = json.path("meta");
            String nextCursor = QuipteamsJson.text(meta.path("next_cursor"));
            return new Page<>(items, meta.path("has_more").asBoolean(false),
                    (nextCursor == null || nextCursor.isBlank()) ? null : nextCursor);
        }

    }

}
