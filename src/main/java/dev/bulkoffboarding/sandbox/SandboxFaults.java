package dev.bulkoffboarding.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.bulkoffboarding.sandbox.SandboxServer.Fault;

/**
 * The failures a test or a demo injects into the sandbox, in one place: queued faults for the next
 * creates, random failure ratios, an outage, revoked keys, devices whose creates keep failing, a
 * slow creation and a lagging list. The routes ask it what to do; {@link SandboxServer} exposes
 * the knobs.
 *
 * <p>Ratios draw from their own seeded generator, so that a run can be repeated and the latency
 * jitter does not shift which requests fail.
 */
final class SandboxFaults {

    private final Clock clock;

    private final double failBeforeCreateRatio;

    private final double failAfterCreateRatio;

    private final Random random;

    private final Queue<Fault> queued = new ConcurrentLinkedQueue<>();

    private final Set<String> revokedKeys = ConcurrentHashMap.newKeySet();

    /** Serial numbers (as received) whose every create is answered 503, creating nothing. */
    private final Set<String> unavailableDevices = ConcurrentHashMap.newKeySet();

    private volatile Instant outageEnd = Instant.MIN;

    private volatile Duration creationDelay = Duration.ZERO;

    private volatile Duration listLag = Duration.ZERO;

    SandboxFaults(SandboxProperties properties, Clock clock) {
        this.clock = clock;
        this.failBeforeCreateRatio = properties.failBeforeCreateRatio();
        this.failAfterCreateRatio = properties.failAfterCreateRatio();
        this.random = new Random(properties.seed());
    }

    void enqueue(Fault... faults) {
        for (Fault fault : faults) {
            queued.add(Objects.requireNonNull(fault, "fault"));
        }
    }

    /** Takes the fault queued for this create, or null to let the ratios decide. */
    Fault next() {
        return queued.poll();
    }

    /** Whether this create fails before anything is created: its queued fault, else a draw of the ratio. */
    boolean failsBeforeCreate(Fault fault) {
        return fault == Fault.FAIL_BEFORE_CREATE || (fault == null && chance(failBeforeCreateRatio));
    }

    /** Whether this create fails once its action exists: its queued fault, else a draw of the ratio. */
    boolean failsAfterCreate(Fault fault) {
        return fault == Fault.FAIL_AFTER_CREATE || (fault == null && chance(failAfterCreateRatio));
    }

    private boolean chance(double ratio) {
        return ratio > 0 && random.nextDouble() < ratio;
    }

    void outage(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        outageEnd = clock.instant().plus(duration);
    }

    boolean inOutage() {
        return clock.instant().isBefore(outageEnd);
    }

    void revoke(String key) {
        revokedKeys.add(Objects.requireNonNull(key, "key"));
    }

    boolean isRevoked(String key) {
        return revokedKeys.contains(key);
    }

    void makeUnavailable(String serialNumber) {
        unavailableDevices.add(Objects.requireNonNull(serialNumber, "serialNumber"));
    }

    void makeAvailable(String serialNumber) {
        unavailableDevices.remove(serialNumber);
    }

    boolean isUnavailable(String serialNumber) {
        return unavailableDevices.contains(serialNumber);
    }

    void setCreationDelay(Duration delay) {
        this.creationDelay = notNegative(delay, "creation delay");
    }

    Duration creationDelay() {
        return creationDelay;
    }

    void setListLag(Duration lag) {
        this.listLag = notNegative(lag, "list lag");
    }

    Duration listLag() {
        return listLag;
    }

    /** Forgets every injected failure; the ratios and their generator go on. */
    void clear() {
        queued.clear();
        unavailableDevices.clear();
        creationDelay = Duration.ZERO;
        listLag = Duration.ZERO;
        revokedKeys.clear();
        outageEnd = Instant.MIN;
    }

    private static Duration notNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return duration;
    }

}
