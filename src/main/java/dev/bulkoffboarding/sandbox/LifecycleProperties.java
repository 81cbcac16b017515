package dev.bulkoffboarding.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How fast the application's built-in sandbox moves the actions it created: "In Progress", then
 * "Shipped" with a tracking code and link after one step, then "Completed" after two (see
 * {@link SandboxServer#setLifecycleStep}). A minute by default, so that {@code track} shows
 * progress a few minutes after the demo; {@code 0} keeps every action "In Progress".
 *
 * @param step time per lifecycle step
 */
@ConfigurationProperties("sandbox.lifecycle")
public record LifecycleProperties(@DefaultValue("1m") Duration step) {

    public LifecycleProperties {
        step = (step != null) ? step : Duration.ofMinutes(1);
        if (step.isNegative()) {
            throw new IllegalArgumentException("sandbox.lifecycle.step must not be negative (0 switches it off)");
        }
    }

}
