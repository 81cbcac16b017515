package dev.bulkoffboarding.sandbox;

import java.util.Map;

import com.sun.net.httpserver.Headers;

/**
 * One request as a route sees it, once it passed the gateway (outage, key, rate limit).
 *
 * @param method the HTTP method
 * @param rawPath the path, still percent-encoded
 * @param rawQuery the query string, still percent-encoded, or null
 * @param headers the request headers
 * @param body the body, at most one byte over {@link SandboxServer#MAX_BODY_BYTES}
 * @param idempotencyKey the {@code Idempotency-Key} header, or null
 * @param pathVariables the decoded values of the route's {@code {name}} segments
 */
record SandboxRequest(String method, String rawPath, String rawQuery, Headers headers, byte[] body,
        String idempotencyKey, Map<String, String> pathVariables) {

    SandboxRequest {
        pathVariables = Map.copyOf(pathVariables);
    }

    /** @return the first value of a header, or null */
    String header(String name) {
        return headers.getFirst(name);
    }

    /** @return the decoded value of a {@code {name}} path segment */
    String pathVariable(String name) {
        return pathVariables.get(name);
    }

    SandboxRequest withPathVariables(Map<String, String> variables) {
        return new SandboxRequest(method, rawPath, rawQuery, headers, body, idempotencyKey, variables);
    }

}
