package dev.bulkoffboarding.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox's endpoints, one entry per method and path: the whole API surface on one screen.
 * A path is literal segments and {@code {name}} segments, each matching one non-empty segment.
 * A path that matches no entry is {@code 404 NOT_FOUND}; a path that matches only under other
 * methods is {@code 405 METHOD_NOT_ALLOWED} with {@code Allow} listing them in table order.
 * When several entries match, the first one in the table wins: list literal paths before
 * {@code {name}} paths that could swallow them.
 */
final class SandboxRoutes {

    private final List<Route> routes;

    SandboxRoutes(DeviceActionEndpoints deviceActions, WebhookDeliveries webhooks, AssetListing assets,
            ExternalDeviceCreation externalDevices) {
        Endpoint webhook = (request) -> webhooks.route(request.method(), request.rawPath(),
                webhooks.parse(request.body()));
        this.routes = List.of(
                Route.of("GET", "/api/v1/device-actions", deviceActions::list),
                Route.of("POST", "/api/v1/device-actions", deviceActions::create),
                Route.of("POST", "/api/v1/device-actions/external", (request) -> externalDevices.create(
                        request.headers().getFirst("Content-Type"), request.body(), request.idempotencyKey())),
                Route.of("GET", "/api/v1/device-actions/{id}", deviceActions::get),
                Route.of("GET", "/api/v1/assets", (request) -> assets.list(request.rawQuery())),
                Route.of("GET", "/api/v1/webhooks", webhook),
                Route.of("POST", "/api/v1/webhooks", webhook),
                Route.of("GET", "/api/v1/webhooks/{id}", webhook));
    }

    /** Hands the request to the entry for its method and path, or answers 404 or 405. */
    Reply dispatch(SandboxRequest request) {
        List<String> segments = split(request.rawPath());
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> variables = route.match(segments);
            if (variables == null) {
                continue;
            }
            if (route.method().equals(request.method())) {
                return route.endpoint().answer(request.withPathVariables(variables));
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            return Reply.error(405, "METHOD_NOT_ALLOWED", request.method() + " is not allowed here")
                .withHeader("Allow", String.join(", ", allowed));
        }
        return Reply.error(404, "NOT_FOUND", "No such resource: " + request.method() + " " + request.rawPath());
    }

    /** Splits a raw path on {@code /}, keeping empty segments so that {@code /a/} never matches {@code /a}. */
    private static List<String> split(String rawPath) {
        return List.of(rawPath.split("/", -1));
    }

    /** Answers one kind of request. */
    @FunctionalInterface
    interface Endpoint {

        Reply answer(SandboxRequest request);

    }

    /**
     * One entry of the table.
     *
     * @param method the HTTP method
     * @param segments the path split on {@code /}
     * @param endpoint what answers
     */
    record Route(String method, List<String> segments, Endpoint endpoint) {

        static Route of(String method, String path, Endpoint endpoint) {
            return new Route(method, split(path), endpoint);
        }

        /** @return the decoded path variables when the raw path segments match, else null */
        Map<String, String> match(List<String> raw) {
            if (raw.size() != segments.size()) {
                return null;
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    if (raw.get(i).isEmpty()) {
                        return null;
                    }
                    variables.put(segment.substring(1, segment.length() - 1), decode(raw.get(i)));
                }
                else if (!segment.equals(raw.get(i))) {
                    return null;
                }
            }
            return variables;
        }

        /** Percent-decodes one segment the way {@link URI#getPath()} does ({@code +} stays a plus). */
        private static String decode(String rawSegment) {
            try {
                return new URI("/" + rawSegment).getPath().substring(1);
            }
            catch (URISyntaxException ex) {
                // The server parsed the whole request URI already, so one of its segments parses too.
                throw new IllegalArgumentException("Malformed path segment", ex);
            }
        }

    }

}
