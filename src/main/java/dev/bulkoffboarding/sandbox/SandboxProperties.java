package dev.bulkoffboarding.sandbox;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the in-process Quipteams sandbox behaves: where it listens, how slow it is, how much rate
 * budget each API key gets and how often it fails on purpose.
 *
 * <p>Bound from {@code sandbox.*}; tests and benchmarks start from {@link #defaults()} and change
 * one setting at a time with the {@code with…} methods.
 *
 * @param port TCP port on 127.0.0.1; {@code 0} picks a free one
 * @param latency delay added to every response
 * @param latencyJitter upper bound of a uniformly random extra delay added to {@code latency}
 * @param requestsPerMinute budget per API key in a fixed one-minute window; {@code 0} means unlimited
 * @param failBeforeCreateRatio share of create requests answered 500 without creating anything
 * @param failAfterCreateRatio share of create requests that create the action and then answer 500
 * @param unknownSerialPattern regular expression (searched, not matched whole) for serial numbers
 *     that are not in the inventory and therefore get 404
 * @param seed seed of the random decisions (fault ratios, jitter), so runs are reproducible
 * @param realRatePerSecond the budget the sandbox really enforces per key, as a token bucket refilled
 *     at this many requests per second, whatever {@code requestsPerMinute} its headers advertise:
 *     a vendor whose real limit is lower than the one it announces; {@code 0} (the default) means off
 * @param realBurst the capacity of that token bucket; {@code 0} means one second's worth (at least 1)
 */
@ConfigurationProperties("sandbox")
public record SandboxProperties(
        @DefaultValue("0") int port,
        @DefaultValue("150ms") Duration latency,
        @DefaultValue("0ms") Duration latencyJitter,
        @DefaultValue("600") int requestsPerMinute,
        @DefaultValue("0") double failBeforeCreateRatio,
        @DefaultValue("0") double failAfterCreateRatio,
        @DefaultValue("(?i)^(UNKNOWN|NOTINV).*") String unknownSerialPattern,
        @DefaultValue("42") long seed,
        @DefaultValue("0") double realRatePerSecond,
        @DefaultValue("0") int realBurst) {

    private static final Duration DEFAULT_LATENCY = Duration.ofMillis(150);

    private static final String DEFAULT_UNKNOWN_SERIAL_PATTERN = "(?i)^(UNKNOWN|NOTINV).*";

    /**
     * Rejects settings that would make the sandbox misbehave silently; {@code null}s (only
     * possible when constructed by hand) fall back to the defaults.
     */
    public SandboxProperties {
        latency = (latency != null) ? latency : DEFAULT_LATENCY;
        latencyJitter = (latencyJitter != null) ? latencyJitter : Duration.ZERO;
        unknownSerialPattern = (unknownSerialPattern != null) ? unknownSerialPattern : DEFAULT_UNKNOWN_SERIAL_PATTERN;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("sandbox.port must be between 0 and 65535, was " + port);
        }
        if (latency.isNegative() || latencyJitter.isNegative()) {
            throw new IllegalArgumentException("sandbox.latency and sandbox.latency-jitter must not be negative");
        }
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("sandbox.requests-per-minute must not be negative (0 = unlimited)");
        }
        if (!(realRatePerSecond >= 0) || realBurst < 0) {
            throw new IllegalArgumentException("sandbox.real-rate-per-second and sandbox.real-burst must not be negative "
                    + "(0 = off, 0 = one second's worth)");
        }
        requireRatio("sandbox.fail-before-create-ratio", failBeforeCreateRatio);
        requireRatio("sandbox.fail-after-create-ratio", failAfterCreateRatio);
        try {
            Pattern.compile(unknownSerialPattern);
        }
        catch (PatternSyntaxException ex) {
            throw new IllegalArgumentException("sandbox.unknown-serial-pattern is not a valid regular expression", ex);
        }
    }

    /**
     * The same values as binding an empty {@code sandbox.*} section.
     * @return the default settings (150 ms latency, 600 requests per minute, no faults)
     */
    public static SandboxProperties defaults() {
        return new SandboxProperties(0, DEFAULT_LATENCY, Duration.ZERO, 600, 0, 0, DEFAULT_UNKNOWN_SERIAL_PATTERN, 42, 0, 0);
    }

    /**
     * @param port the port to listen on, {@code 0} for a free one
     * @return a copy with that port
     */
    public SandboxProperties withPort(int port) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param latency the delay added to every response
     * @return a copy with that latency
     */
    public SandboxProperties withLatency(Duration latency) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param latencyJitter the upper bound of the random extra delay
     * @return a copy with that jitter
     */
    public SandboxProperties withLatencyJitter(Duration latencyJitter) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param requestsPerMinute the budget per API key, {@code 0} for unlimited
     * @return a copy with that budget
     */
    public SandboxProperties withRequestsPerMinute(int requestsPerMinute) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param failBeforeCreateRatio share of creates answered 500 without creating anything
     * @param failAfterCreateRatio share of creates answered 500 after creating the action
     * @return a copy with those failure ratios
     */
    public SandboxProperties withFailureRatios(double failBeforeCreateRatio, double failAfterCreateRatio) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param unknownSerialPattern regular expression for serials that are not in the inventory
     * @return a copy with that pattern
     */
    public SandboxProperties withUnknownSerialPattern(String unknownSerialPattern) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param seed the seed of the random decisions
     * @return a copy with that seed
     */
    public SandboxProperties withSeed(long seed) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    /**
     * @param realRatePerSecond requests per second the sandbox really allows per key (a token
     *     bucket), whatever its headers advertise; {@code 0} for off
     * @param realBurst the bucket's capacity, {@code 0} for one second's worth
     * @return a copy with that real limit
     */
    public SandboxProperties withRealLimit(double realRatePerSecond, int realBurst) {
        return new SandboxProperties(port, latency, latencyJitter, requestsPerMinute, failBeforeCreateRatio,
                failAfterCreateRatio, unknownSerialPattern, seed, realRatePerSecond, realBurst);
    }

    private static void requireRatio(String name, double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + ratio);
        }
    }

}
