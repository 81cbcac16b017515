package dev.bulkoffboarding;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.thymeleaf.ITemplateEngine;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.context.support.StandardServletEnvironment;
import org.springframework.web.reactive.function.client.WebClient;

import dev.bulkoffboarding.web.ServeContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line tools start with the auto-configurations they use; serve still has all of them.
 */
class CommandLineAutoConfigurationsIntegrationTests {

    private static final String[] CANDIDATES = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration",
            "org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration",
            "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceConfiguration$Hikari",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceJmxConfiguration", null };

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
    void aCommandLineToolKeepsWhatItUses() {
        assertThat(filter(new StandardEnvironment()).match(CANDIDATES, null)).containsExactly(false, false, false,
                true, true, true, true, true, true);
    }

    @Test
    void serveKeepsEverything() {
        assertThat(filter(new StandardServletEnvironment()).match(CANDIDATES, null)).containsOnly(true);
    }

    private static AutoConfigurationImportFilter filter(StandardEnvironment environment) {
        CommandLineAutoConfigurations filter = new CommandLineAutoConfigurations();
        filter.setEnvironment(environment);
        return filter;
    }

}
