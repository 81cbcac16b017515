package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;

class QuipteamsConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(QuipteamsConfiguration.class, BindProperties.class)
            .withBean(WebClient.Builder.class, WebClient::builder)
            .withBean(ApiEndpoint.class, () -> new ApiEndpoint(URI.create("http://localhost:1"), ApiKey.of(SECRET_KEY)));

    @Test
    void wiresTheClientBeansAroundTheGivenEndpoint() {
        // given: the endpoint bean, as the application provides it; when: the context starts; then:
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(RequestPacer.class);
            assertThat(context).hasSingleBean(DeviceActionClient.class);
            assertThat(context).hasSingleBean(DeviceActionSubmitter.class);
        });
    }

    @Test
    void bindsTheDocumentedDefaults() {
        // given: no quipteams.* properties; when: the context starts; then:
        this.contextRunner.run(context -> {
            QuipteamsProperties properties = context.getBean(QuipteamsProperties.class);
            assertThat(properties.baseUrl()).isEqualTo(URI.create("https://api.quipteams.com"));
            assertThat(properties.hasApiKey()).isFalse();
            assertThat(properties.requestsPerMinute()).isNull();
            assertThat(properties.initialRequestsPerMinute()).isEqualTo(600);
            assertThat(properties.startRequestsPerMinute()).isEqualTo(600);
            assertThat(properties.ceilingFor(1200)).isEqualTo(1200);
            assertThat(properties.bucketCapacity(600)).isEqualTo(20);
            assertThat(properties.bucketCapacity(1200)).isEqualTo(32);
            assertThat(properties.bucketCapacity(20)).isEqualTo(1);
            assertThat(properties.maxInFlight()).isEqualTo(32);
            assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.maxAttempts()).isEqualTo(6);
            assertThat(properties.initialBackoff()).isEqualTo(Duration.ofMillis(500));
            assertThat(properties.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.settleDelay()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.reconcileClockSkew()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.maxRateLimitWait()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.circuitBreakerThreshold()).isEqualTo(20);
        });
    }

    @Test
    void bindsOverridesAndMasksTheKey() {
        // given
        ApplicationContextRunner configured = this.contextRunner.withPropertyValues("quipteams.api-key=" + SECRET_KEY,
                "quipteams.requests-per-minute=120", "quipteams.settle-delay=250ms");

        // when / then
        configured.run(context -> {
            QuipteamsProperties properties = context.getBean(QuipteamsProperties.class);
            assertThat(properties.apiKey()).isEqualTo(SECRET_KEY);
            assertThat(properties.requestsPerMinute()).isEqualTo(120);
            assertThat(properties.startRequestsPerMinute()).isEqualTo(120);
            assertThat(properties.ceilingFor(1200)).isEqualTo(120);
            assertThat(properties.settleDelay()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.toString()).doesNotContain(SECRET_KEY).contains("apiKey=qk_live_****");
        });
    }

    @Test
    void refusesANonsensicalSetting() {
        // given
        ApplicationContextRunner configured = this.contextRunner.withPropertyValues("quipteams.max-in-flight=0");

        // when / then
        configured.run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("quipteams.max-in-flight must be positive"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(QuipteamsProperties.class)
    static class BindProperties {

    }

}
