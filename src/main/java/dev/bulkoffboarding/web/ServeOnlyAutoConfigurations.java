package dev.bulkoffboarding.web;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.context.ConfigurableWebEnvironment;
import org.springframework.web.context.WebApplicationContext;

/**
 * Leaves out the auto-configurations that only {@code serve} uses when the application is not a
 * web application, that is for every command-line tool ({@code run}, {@code validate}...): Actuator
 * (health, metrics, Prometheus), Spring Security, Thymeleaf, mail, and the blocking HTTP client
 * with its message converters. The command-line tools use none of them; skipping them saves their
 * classes, conditions and beans on every start. Registered in {@code META-INF/spring.factories}; it
 * looks at class names only, so nothing of what it leaves out is loaded.
 */
public final class ServeOnlyAutoConfigurations
        implements AutoConfigurationImportFilter, EnvironmentAware, ResourceLoaderAware {

    /** Auto-configurations whose class names start with one of these. */
    private static final List<String> PREFIXES = List.of("org.springframework.boot.actuate.",
            "org.springframework.boot.health.", "org.springframework.boot.micrometer.metrics.",
            "org.springframework.boot.security.", "org.springframework.boot.thymeleaf.",
            "org.springframework.boot.mail.", "org.springframework.boot.http.converter.",
            "org.springframework.boot.http.client.autoconfigure.imperative.");

    /** ... or whose class names contain one of these (Actuator, health and metrics parts of other modules). */
    private static final List<String> PARTS = List.of(".actuate.", ".health.", ".metrics.");

    private Environment environment;

    private ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
        boolean web = isWebApplication();
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = web || autoConfigurationClasses[i] == null || !servesOnly(autoConfigurationClasses[i]);
        }
        return matches;
    }

    /** As {@code @ConditionalOnWebApplication} decides it for a servlet application. */
    private boolean isWebApplication() {
        return this.environment instanceof ConfigurableWebEnvironment
                || this.resourceLoader instanceof WebApplicationContext;
    }

    static boolean servesOnly(String autoConfigurationClass) {
        return PREFIXES.stream().anyMatch(autoConfigurationClass::startsWith)
                || PARTS.stream().anyMatch(autoConfigurationClass::contains);
    }

}
