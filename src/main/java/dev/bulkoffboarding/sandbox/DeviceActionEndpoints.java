package dev.bulkoffboarding.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import dev.bulkoffboarding.sandbox.DeviceActionStore.Page;
import dev.bulkoffboarding.sandbox.DeviceActionStore.Query;
import dev.bulkoffboarding.sandbox.DeviceActionStore.StoredAction;
import dev.bulkoffboarding.sandbox.SandboxServer.Fault;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/v1/device-actions}: create, list and get, with the injected faults applied to
 * creates. Each method answers one route of {@link SandboxRoutes}.
 */
final class DeviceActionEndpoints {

    /** What a proxy or a wrong host answers instead of the vendor's JSON. */
    private static final String HTML_OK = "OK";

    private final Clock clock;

    private final JsonMapper json;

    private final DeviceActionRequestValidator validator;

    private final Inventory inventory;

    private final DeviceActionStore store;

    private final SandboxFaults faults;

    /** Runs a creation the vendor queues, after the creation delay. */
    private final ScheduledExecutorService scheduler;

    DeviceActionEndpoints(Clock clock, JsonMapper json, DeviceActionRequestValidator validator, Inventory inventory,
            DeviceActionStore store, SandboxFaults faults, ScheduledExecutorService scheduler) {
        this.clock = clock;
        this.json = json;
        this.validator = validator;
        this.inventory = inventory;
        this.store = store;
        this.faults = faults;
        this.scheduler = scheduler;
    }

    /** {@code POST /api/v1/device-actions}, the queued fault or the failure ratios applied. */
    Reply create(SandboxRequest request) {
        Fault fault = faults.next();
        if (faults.failsBeforeCreate(fault)) {
            return Reply.internalError();
        }
        if (fault == Fault.HTML_OK_WITHOUT_CREATE) {
            return Reply.html(200, HTML_OK);
        }
        if (fault == Fault.RATE_LIMIT) {
            return Reply.rateLimited(2);
        }
        if (!isJson(request.header("Content-Type"))) {
            return Reply.error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        }
        byte[] body = request.body();
        if (body.length > SandboxServer.MAX_BODY_BYTES) {
            return Reply.error(413, "PAYLOAD_TOO_LARGE",
                    "Request body exceeds " + SandboxServer.MAX_BODY_BYTES + " bytes");
        }
        JsonNode action;
        try {
            action = json.readTree(body);
        }
        catch (JacksonException ex) {
            return Reply.validationError("Request body is not valid JSON",
                    List.of(new FieldError("body", "is not valid JSON")));
        }
        List<FieldError> errors = validator.validate(action);
        if (!errors.isEmpty()) {
            return Reply.validationError("Request validation failed", errors);
        }
        String serialNumber = action.get("serial_number").stringValue();
        if (faults.isUnavailable(serialNumber)) {
            return Reply.error(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable");
        }
        if (!inventory.contains(serialNumber)) {
            return Reply.error(404, "NOT_FOUND", "No device with serial number " + serialNumber + " in your inventory");
        }
        String rawBody = new String(body, StandardCharsets.UTF_8);
        String idempotencyKey = request.idempotencyKey();
        if (fault == Fault.GATEWAY_TIMEOUT_CREATE_LATER) {
            // the gateway gives up on a backend that goes on and creates the action
            createLater(action, rawBody, idempotencyKey);
            return Reply.error(504, "GATEWAY_TIMEOUT", "The upstream service did not answer in time");
        }
        // decided now, so that a creation delay does not change which requests a seeded ratio fails
        boolean failAfterCreate = faults.failsAfterCreate(fault);
        Duration delay = faults.creationDelay();
        if (!delay.isZero()) {
            // the vendor queues the insert: the answer waits for it, possibly longer than the client does
            int status = failAfterCreate ? 500 : (fault == Fault.RESET_AFTER_CREATE) ? 0
                    : (fault == Fault.HTML_OK_AFTER_CREATE) ? 200 : 201;
            return Reply.later(delay, status, () -> answerCreated(
                    store.create(action, rawBody, idempotencyKey, null), fault, failAfterCreate));
        }
        return answerCreated(store.create(action, rawBody, idempotencyKey, null), fault, failAfterCreate);
    }

    private void createLater(JsonNode action, String rawBody, String idempotencyKey) {
        Duration delay = faults.creationDelay();
        if (delay.isZero()) {
            store.create(action, rawBody, idempotencyKey, null);
            return;
        }
        try {
            scheduler.schedule(() -> store.create(action, rawBody, idempotencyKey, null), delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // closing: nobody will look
        }
    }

    private static Reply answerCreated(StoredAction action, Fault fault, boolean failAfterCreate) {
        if (failAfterCreate) {
            // The vendor inserted the action, then something later (say the notification e-mail) failed.
            return Reply.internalError();
        }
        if (fault == Fault.RESET_AFTER_CREATE) {
            return Reply.connectionReset();
        }
        if (fault == Fault.HTML_OK_AFTER_CREATE) {
            return Reply.html(200, HTML_OK);
        }
        Reply created = Reply.data(201, action.json());
        return (fault == Fault.DELAY_AFTER_CREATE) ? created.held() : created;
    }

    /** {@code GET /api/v1/device-actions}: filters, newest first unless sorted, cursor pagination. */
    Reply list(SandboxRequest request) {
        ListQuery params = ListQuery.parse(request.rawQuery());
        int limit = params.limit();
        boolean ascending = params.ascending();
        Instant createdAfter = params.instant("created_after");
        Instant createdBefore = params.instant("created_before");
        Long cursor = params.cursor();
        if (params.hasErrors()) {
            return params.invalid();
        }
        String serial = params.text("serial_number");
        Duration lag = faults.listLag();
        Instant visibleUntil = lag.isZero() ? null : clock.instant().minus(lag);
        Query query = new Query((serial != null) ? serial.toLowerCase(Locale.ROOT) : null,
                params.text("action_type"), params.text("status"), createdAfter, createdBefore, ascending, limit,
                cursor, visibleUntil);
        Page page = store.list(query);

        ObjectNode response = json.createObjectNode();
        ArrayNode data = response.putArray("data");
        page.items().forEach(action -> data.add(store.listItem(action)));
        long last = page.items().isEmpty() ? 0 : page.items().get(page.items().size() - 1).sequence();
        ListQuery.addMeta(response, page.hasMore(), last);
        return Reply.json(200, response);
    }

    /** {@code GET /api/v1/device-actions/{id}}, by UUID or by action id. */
    Reply get(SandboxRequest request) {
        String idOrActionId = request.pathVariable("id");
        StoredAction action = store.find(idOrActionId);
        if (action == null) {
            return Reply.error(404, "NOT_FOUND", "No device action with id " + idOrActionId);
        }
        return Reply.data(200, action.json());
    }

    /** Adds an action created elsewhere (the vendor's dashboard), validated as a create would be. */
    StoredAction seed(String requestJson, Instant createdAt) {
        JsonNode action = json.readTree(requestJson);
        List<FieldError> errors = validator.validate(action);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Not a valid device action: " + errors);
        }
        return store.create(action, requestJson, null, createdAt);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters >= 0) ? contentType.substring(0, parameters) : contentType;
        return mediaType.trim().equalsIgnoreCase("application/json");
    }

}
