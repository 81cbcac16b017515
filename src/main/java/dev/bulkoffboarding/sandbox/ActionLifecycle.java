package dev.bulkoffboarding.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What happens to a device action after the sandbox created it, one step every {@code step}:
 * "In Progress" at creation, then "Shipped" with a tracking code and link, then "Completed" with
 * {@code wipe_completed} set when a wipe was requested. The vendor documents only "In Progress";
 * these names are the sandbox's, in the vendor's Title Case.
 *
 * <p>Each step happens at its own time, {@code created_at + n × step}, whenever the sandbox gets to
 * it (a request, or the tick): {@code updated_at} and {@code status_timestamps} carry that time, so
 * a test clock gives exact, repeatable states. A step of zero switches the lifecycle off: actions
 * stay "In Progress", as the vendor's examples show them.
 */
final class ActionLifecycle {

    private static final Log logger = LogFactory.getLog(ActionLifecycle.class);

    static final String SHIPPED = "Shipped";

    static final String COMPLETED = "Completed";

    /** How often the tick looks for due steps (so that changes are announced without a request). */
    private static final Duration TICK = Duration.ofMillis(200);

    private static final List<String> STATUSES = List.of(DeviceActionStore.STATUS_IN_PROGRESS, SHIPPED, COMPLETED);

    private final DeviceActionStore store;

    private final Clock clock;

    private volatile Duration step = Duration.ZERO;

    private volatile Consumer<JsonNode> onChange = (action) -> {
    };

    ActionLifecycle(DeviceActionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Ticks on {@code scheduler} until it shuts down. */
    void startTicking(ScheduledExecutorService scheduler) {
        try {
            scheduler.scheduleWithFixedDelay(this::advance, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException closing) {
            // the sandbox is closing
        }
    }

    void setStep(Duration step) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative()) {
            throw new IllegalArgumentException("the lifecycle step must not be negative");
        }
        this.step = step;
    }

    Duration step() {
        return this.step;
    }

    void setOnChange(Consumer<JsonNode> onChange) {
        this.onChange = Objects.requireNonNull(onChange, "onChange");
    }

    /** Takes every action whose step is due to it, then tells the listener of each change, in order. */
    void advance() {
        if (this.step.isZero()) {
            return;
        }
        List<ObjectNode> changed;
        try {
            changed = this.store.advance(this, this.clock.instant());
        }
        catch (RuntimeException ex) {
            logger.warn("Sandbox: the device-action lifecycle failed to advance", ex);
            return;
        }
        Consumer<JsonNode> listener = this.onChange;
        for (ObjectNode action : changed) {
            try {
                listener.accept(action);
            }
            catch (RuntimeException ex) {
                logger.warn("Sandbox: a lifecycle change listener failed", ex);
            }
        }
    }

    /** Whether an action created then has at least one step due now. */
    boolean anyStepDue(Instant createdAt, Instant now) {
        Duration step = this.step;
        return !step.isZero() && !now.isBefore(createdAt.plus(step));
    }

    /** Whether the action is at its last step. */
    boolean isLast(JsonNode action) {
        return stage(action) == STATUSES.size() - 1;
    }

    /**
     * The action as it is now, a new object, or null when no step of it is due. Steps skipped
     * (nobody asked for a while) are all taken, each with its own time.
     */
    ObjectNode next(ObjectNode action, Instant createdAt, Instant now) {
        Duration step = this.step;
        if (step.isZero()) {
            return null;
        }
        long elapsedSteps = Duration.between(createdAt, now).dividedBy(step);
        int due = (int) Math.min(STATUSES.size() - 1, Math.max(0, elapsedSteps));
        int current = stage(action);
        if (current < 0 || due <= current) {
            return null;
        }
        ObjectNode next = action.deepCopy();
        ObjectNode timestamps = next.putObject("status_timestamps");
        if (action.path("status_timestamps").isObject()) {
            timestamps.setAll((ObjectNode) action.get("status_timestamps"));
        }
        if (!timestamps.has(DeviceActionStore.STATUS_IN_PROGRESS)) {
            timestamps.put(DeviceActionStore.STATUS_IN_PROGRESS, DeviceActionStore.timestamp(createdAt));
        }
        for (int stage = current + 1; stage <= due; stage++) {
            String at = DeviceActionStore.timestamp(createdAt.plus(step.multipliedBy(stage)));
            String status = STATUSES.get(stage);
            next.put("status", status);
            timestamps.put(status, at);
            next.put("updated_at", at);
            if (SHIPPED.equals(status)) {
                String code = trackingCode(next.path("id").asString(""));
                next.put("tracking_code", code);
                next.put("tracking_link", "https://tracking.sandbox.invalid/" + code);
            }
            if (COMPLETED.equals(status)) {
                next.put("wipe_completed", next.path("wipe").asBoolean(false));
            }
        }
        return next;
    }

    /** Position of the action's status in the lifecycle; -1 for a status it does not know. */
    private static int stage(JsonNode action) {
        return STATUSES.indexOf(action.path("status").asString(""));
    }

    /** A code that looks like a carrier's and is the same for the same action. */
    private static String trackingCode(String id) {
        String digits = Long.toString(Math.abs((long) id.hashCode()) % 10_000_000_000L);
        return "SBX" + "0".repeat(10 - digits.length()) + digits.toUpperCase(Locale.ROOT);
    }

}
