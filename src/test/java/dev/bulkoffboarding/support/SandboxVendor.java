package dev.bulkoffboarding.support;

import java.time.Duration;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A sandbox vendor of a test class's own. Keep it in a static field marked {@code @AutoClose} (JUnit
 * closes it after the class's tests) and point the application at it from the class's
 * {@code @DynamicPropertySource} with {@link #use}.
 */
public final class SandboxVendor {

    private SandboxVendor() {
    }

    /** A sandbox that answers at once and enforces no rate budget. */
    public static SandboxServer immediate() {
        return SandboxServer.start(SandboxProperties.defaults().withLatency(Duration.ZERO).withRequestsPerMinute(0));
    }

    /** The application sends to {@code vendor}, with a sandbox key. */
    public static void use(SandboxServer vendor, DynamicPropertyRegistry registry) {
        use(vendor, SandboxServer.sandboxKey(), registry);
    }

    /** The application sends to {@code vendor}, with {@code apiKey}. */
    public static void use(SandboxServer vendor, String apiKey, DynamicPropertyRegistry registry) {
        registry.add("quipteams.base-url", () -> vendor.baseUri().toString());
        registry.add("quipteams.api-key", () -> apiKey);
    }

}
