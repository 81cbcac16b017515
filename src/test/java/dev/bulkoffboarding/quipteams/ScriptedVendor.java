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

    /** A list page of device actions; each item is {@code id, serial, actionType, createdAt}. */
    static MockResponse list(String... items) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < items.length; i += 4) {
            data.append((i == 0) ? "" : ",")
                    .append("{\"id\": \"").append(items[i]).append("\", \"action_id\": \"AST-").append(items[i])
                    .append("\", \"action_type\": \"").append(items[i + 2])
                    .append("\", \"status\": \"In Progress\", \"device\": {\"serial_number\": \"").append(items[i + 1])
                    .append("\"}, \"created_at\": \"").append(items[i + 3]).append("\"}");
        }
        return json(200, "{\"data\": [" + data + "], \"meta\": {\"has_more\": false, \"next_cursor\": null}}");
    }

}
