package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.util.Objects;

/**
 * Where to send and with which key: built by the application from {@link QuipteamsProperties}, or
 * pointing at the sandbox. Its {@code toString()} masks the key.
 *
 * @param baseUrl the API root, e.g. {@code https://api.quipteams.com}
 * @param apiKey the key sent as a Bearer token
 */
public record ApiEndpoint(URI baseUrl, ApiKey apiKey) {

    public ApiEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
    }

}
