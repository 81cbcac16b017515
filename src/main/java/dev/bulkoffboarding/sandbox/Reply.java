package dev.bulkoffboarding.sandbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.bulkoffboarding.sandbox.DeviceActionRequestValidator.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the sandbox decided to answer to one request, before the simulated latency delivers it.
 *
 * @param status HTTP status
 * @param body JSON body, or null for none
 * @param text a body that is not JSON (sent as {@code text/html}), or null; ignored when {@code body} is set
 * @param headers extra response headers (rate-limit headers, {@code Retry-After}, {@code Allow})
 * @param delivery how the answer reaches the client
 * @param later non-null when the real answer is only decided later (a creation the vendor queues):
 *     {@code status} is then the status it will have
 */
record Reply(int status, JsonNode body, String text, Map<String, String> headers, Delivery delivery, Later later) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, JsonNode body) {
        return new Reply(status, body, null, Map.of(), Delivery.AFTER_LATENCY, null);
    }

    /**
     * An HTML page, as a proxy or a wrong host answers: a 2xx that is not the vendor's
     * {@code {"data": …}}.
     */
    static Reply html(int status, String page) {
        return new Reply(status, null, page, Map.of(), Delivery.AFTER_LATENCY, null);
    }

    /** A success body wrapped in {@code {"data": …}}. */
    static Reply data(int status, JsonNode data) {
        ObjectNode body = NODES.objectNode();
        body.set("data", data);
        return json(status, body);
    }

    /** The vendor's error envelope: {@code {"error": {"code", "message", "details"}}}. */
    static Reply error(int status, String code, String message) {
        return error(status, code, message, null);
    }

    static Reply error(int status, String code, String message, JsonNode details) {
        ObjectNode error = NODES.objectNode();
        error.put("code", code);
        error.put("message", message);
        error.set("details", (details != null) ? details : NODES.nullNode());
        ObjectNode body = NODES.objectNode();
        body.set("error", error);
        return json(status, body);
    }

    /** {@code 400 VALIDATION_ERROR} with {@code details.errors[]} naming each field. */
    static Reply validationError(String message, List<FieldError> errors) {
        ArrayNode list = NODES.arrayNode();
        for (FieldError error : errors) {
            ObjectNode item = list.addObject();
            item.put("field", error.field());
            item.put("message", error.message());
        }
        ObjectNode details = NODES.objectNode();
        details.set("errors", list);
        return error(400, "VALIDATION_ERROR", message, details);
    }

    /** The answer to a request that failed inside the "vendor"; deliberately the same before and after a create. */
    static Reply internalError() {
        return error(500, "INTERNAL_ERROR", "An unexpected error occurred");
    }

    /** {@code 429 RATE_LIMITED} with {@code Retry-After} in seconds. */
    static Reply rateLimited(long retryAfterSeconds) {
        return error(429, "RATE_LIMITED", "Too many requests; retry after the rate-limit window resets")
            .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    /** No answer at all: the connection is closed once the latency has passed. */
    static Reply connectionReset() {
        return new Reply(0, null, null, Map.of(), Delivery.CONNECTION_RESET, null);
    }

    /** An answer decided {@code after} from now by {@code answer}, which is expected to answer {@code status}. */
    static Reply later(Duration after, int status, Supplier<Reply> answer) {
        return new Reply(status, null, null, Map.of(), Delivery.AFTER_LATENCY, new Later(after, answer));
    }

    Reply held() {
        return new Reply(status, body, text, headers, Delivery.HELD, later);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new Reply(status, body, text, merged, delivery, later);
    }

    Reply withHeaders(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new Reply(status, body, text, merged, delivery, later);
    }

    /**
     * An answer that does not exist yet.
     *
     * @param after when to decide it, from now
     * @param answer decides it (and does what it stands for, such as creating the action)
     */
    record Later(Duration after, Supplier<Reply> answer) {
    }

    /** How a reply reaches the client. */
    enum Delivery {

        /** After the configured latency (and jitter). */
        AFTER_LATENCY,

        /** After a long hold, long enough for any sensible client to time out first. */
        HELD,

        /** Never: the connection is closed instead. */
        CONNECTION_RESET

    }

}
