package dev.bulkoffboarding.quipteams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A fake vendor for MockWebServer: answers from a script, then from a rule, and remembers every
 * request with the instant it arrived.
 */
final class ScriptedVendor extends Dispatcher {

    /** One request as the server saw it. */
    record Arrival(RecordedRequest request, Instant at) {

        String method() {
            return request.getMethod();
        }

    }

    private final Queue<MockResponse> script = new ConcurrentLinkedQueue<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private volatile Function<RecordedRequest, MockResponse> rule = request -> new MockResponse.Builder().code(500)
            .body("{\"error\": {\"code\": \"UNSCRIPTED\", \"message\": \"the test did not expect this request\"}}")
            .build();

    ScriptedVendor then(MockResponse response) {
        script.add(response);
        return this;
    }

    ScriptedVendor otherwise(Function<RecordedRequest, MockResponse> rule) {
        this.rule = rule;
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        arrivals.add(new Arrival(request, Instant.now()));
        MockResponse scripted = script.poll();
        return (scripted != null) ? scripted : rule.apply(request);
    }

    List<Arrival> arrivals() {
        return new ArrayList<>(arrivals);
    }

    List<String> methods() {
        return arrivals().stream().map(Arrival::method).toList();
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse created(String id) {
        return json(201, "{\"data\": {\"id\": \"" + id + "\", \"action_id\": \"AST-" + id
                + "\", \"status\": \"In Progress\"}}");
    }

    /**
     * A list page of device actions; each item is {@code id, serial, actionType, createdAt}, with
     * wipe true and current user john@acme.com (what the submitter tests send), no new recipient.
     */
    static MockResponse list(String... items) {
        List<String> json = new ArrayList<>();
        for (int i = 0; i < items.length; i += 4) {
            json.add(item(items[i], items[i + 1], items[i + 2], items[i + 3], true, "john@acme.com", null));
        }
        return listOf(json.toArray(String[]::new));
    }

    /** A list page of items made by {@link #item}. */
    static MockResponse listOf(String... items) {
        return json(200, "{\"data\": [" + String.join(",", items)
                + "], \"meta\": {\"has_more\": false, \"next_cursor\": null}}");
    }

    /** One list item (quipteams-api.md §9); a null e-mail leaves the person out ({@code null}). */
    static String item(String id, String serial, String actionType, String createdAt, boolean wipe,
            String currentUserEmail, String newRecipientEmail) {
        return "{\"id\": \"" + id + "\", \"action_id\": \"AST-" + id + "\", \"action_type\": \"" + actionType
                + "\", \"status\": \"In Progress\", \"device\": {\"serial_number\": \"" + serial
                + "\"}, \"current_user\": " + person(currentUserEmail) + ", \"new_recipient\": "
                + person(newRecipientEmail) + ", \"wipe\": " + wipe + ", \"created_at\": \"" + createdAt + "\"}";
    }

    private static String person(String email) {
        return (email == null) ? "null" : "{\"name\": \"Someone\", \"email\": \"" + email + "\"}";
    }

}
