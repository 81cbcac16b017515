package dev.bulkoffboarding.sandbox;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxPropertiesTests {

    @Test
    void defaultsAreWhatAnEmptySandboxSectionBindsTo() {
        // when
        SandboxProperties bound = bind(Map.of());

        // then
        assertThat(bound).isEqualTo(SandboxProperties.defaults());
        assertThat(bound.latency()).isEqualTo(Duration.ofMillis(150));
        assertThat(bound.requestsPerMinute()).isEqualTo(600);
        assertThat(bound.unknownSerialPattern()).isEqualTo("(?i)^(UNKNOWN|NOTINV).*");
        assertThat(bound.seed()).isEqualTo(42);
    }

    @Test
    void bindsKebabCaseProperties() {
        // when
        SandboxProperties bound = bind(Map.of("sandbox.port", "18080", "sandbox.latency", "20ms",
                "sandbox.latency-jitter", "5ms", "sandbox.requests-per-minute", "0",
                "sandbox.fail-before-create-ratio", "0.25", "sandbox.fail-after-create-ratio", "0.1",
                "sandbox.unknown-serial-pattern", "^X", "sandbox.seed", "7", "sandbox.real-rate-per-second", "2",
                "sandbox.real-burst", "3"));

        // then
        assertThat(bound).isEqualTo(new SandboxProperties(18080, Duration.ofMillis(20), Duration.ofMillis(5), 0, 0.25,
                0.1, "^X", 7, 2, 3));
    }

    @Test
    void refusesToBindAnImpossibleRatio() {
        // when / then
        assertThatThrownBy(() -> bind(Map.of("sandbox.fail-after-create-ratio", "1.5")))
            .isInstanceOf(BindException.class)
            .rootCause()
            .hasMessageContaining("sandbox.fail-after-create-ratio");
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        // given
        SandboxProperties defaults = SandboxProperties.defaults();

        // when / then
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withFailureRatios(-0.1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withFailureRatios(0, Double.NaN));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withRequestsPerMinute(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withLatency(Duration.ofMillis(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withPort(70_000));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withUnknownSerialPattern("(unclosed"));
    }

    @Test
    void withersChangeOneSettingOnly() {
        // given
        SandboxProperties defaults = SandboxProperties.defaults();

        // when
        SandboxProperties fast = defaults.withLatency(Duration.ZERO);

        // then
        assertThat(fast.latency()).isZero();
        assertThat(fast.withLatency(defaults.latency())).isEqualTo(defaults);
    }

    private static SandboxProperties bind(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        return binder.bindOrCreate("sandbox", SandboxProperties.class);
    }

}
