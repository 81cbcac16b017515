package dev.bulkoffboarding.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

import dev.bulkoffboarding.quipteams.ApiEndpoint;
import dev.bulkoffboarding.quipteams.ApiMode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Whether the vendor API can be reached: a TCP connection to its host, which spends none of the
 * rate budget and sends no key. In the sandbox this is the in-process fake.
 */
@Component("vendor")
@ConditionalOnWebApplication
class VendorHealthIndicator extends AbstractHealthIndicator {

    private static final int TIMEOUT_MILLIS = 2000;

    private final ApiEndpoint endpoint;

    private final ApiMode mode;

    VendorHealthIndicator(ApiEndpoint endpoint, ApiMode mode) {
        super("Quipteams cannot be reached");
        this.endpoint = endpoint;
        this.mode = mode;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        URI url = this.endpoint.baseUrl();
        int port = (url.getPort() != -1) ? url.getPort() : ("http".equalsIgnoreCase(url.getScheme()) ? 80 : 443);
        builder.withDetail("url", url.getScheme() + "://" + url.getHost() + ":" + port)
            .withDetail("sandbox", this.mode.sandbox());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), TIMEOUT_MILLIS);
        }
        builder.up();
    }

}
