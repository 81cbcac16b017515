package dev.bulkoffboarding.web;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.thymeleaf.ITemplateEngine;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line tools start without what only serve needs; serve still has all of it.
 */
class ServeOnlyAutoConfigurationsIntegrationTests {

    private static final Class<?>[] SERVE_ONLY = { SecurityFilterChain.class, MeterRegistry.class,
            HealthEndpoint.class, ITemplateEngine.class };

    @Nested
    @SpringBootTest
    @ActiveProfiles("test")
    class CommandLine {

        @Autowired
        ApplicationContext context;

        @Test
        void hasNeitherActuatorNorSecurityNorTemplates() {
            for (Class<?> type : SERVE_ONLY) {
                assertThat(this.context.getBeanNamesForType(type)).as(type.getSimpleName()).isEmpty();
            }
            assertThat(this.context.getBeanNamesForType(
                    org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration.class))
                .isEmpty();
        }

        @Test
        void stillHasWhatARunNeeds() {
            assertThat(this.context.getBeanNamesForType(JobOperator.class)).isNotEmpty();
            assertThat(this.context.getBeanNamesForType(WebClient.Builder.class)).isNotEmpty();
        }

    }

    @Nested
    @ServeContext
    class Serve {

        @Autowired
        ApplicationContext context;

        @Test
        void hasActuatorSecurityAndTemplates() {
            for (Class<?> type : SERVE_ONLY) {
                assertThat(this.context.getBeanNamesForType(type)).as(type.getSimpleName()).isNotEmpty();
            }
        }

    }

    @Test
    void namesWhatOnlyServeUses() {
        assertThat(ServeOnlyAutoConfigurations
            .servesOnly("org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration")).isTrue();
        assertThat(ServeOnlyAutoConfigurations
            .servesOnly("org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration"))
            .isTrue();
        assertThat(ServeOnlyAutoConfigurations.servesOnly(
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"))
            .isTrue();
        assertThat(ServeOnlyAutoConfigurations
            .servesOnly("org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration")).isFalse();
        assertThat(ServeOnlyAutoConfigurations
            .servesOnly("org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")).isFalse();
        assertThat(ServeOnlyAutoConfigurations
            .servesOnly("org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")).isFalse();
    }

}
