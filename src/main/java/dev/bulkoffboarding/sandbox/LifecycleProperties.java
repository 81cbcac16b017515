package dev.bulkoffboarding.sandbox;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fast the application's built-in sandbox moves the actions it created: "In Progress", then
 * "Shipped" with a tracking code and link after one step, then "Completed" after two (see
 * {@link SandboxServer#setLifecycleStep}). A minute by default, so that {@code track} shows
 * progress a few minutes after the demo; {@code 0} keeps every action "In Progress".
 *
 * <p>The sandbox lives in its process; {@code journal} is how the next command's sandbox knows the
 * actions an earlier one created (see {@link SandboxServer#rememberActionsIn}).
 *
 * @param step time per lifecycle step
 * @param journal the file where the built-in sandbox remembers the actions it created; none when
 * empty
 */
@ConfigurationProperties("sandbox.lifecycle")
public record LifecycleProperties(@DefaultValue("1m") Duration step, Path journal) {

    public LifecycleProperties {
        step = (step != null) ? step : Duration.ofMinutes(1);
        if (step.isNegative()) {
            throw new IllegalArgumentException("sandbox.lifecycle.step must not be negative (0 switches it off)");
        }
    }

}
