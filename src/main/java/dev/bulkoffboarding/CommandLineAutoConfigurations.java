package dev.bulkoffboarding;

import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.context.ConfigurableWebEnvironment;
import org.springframework.web.context.WebApplicationContext;

/**
 * A command-line tool ({@code run}, {@code validate}, {@code report}...) starts with the
 * auto-configurations it uses and no others: the database, Flyway, Spring Batch, transactions,
 * Jackson, the task executors, picocli, and the reactive HTTP client that {@code run} sends with.
 * Everything else on the class path is for {@code serve} (Actuator, Spring Security, Thymeleaf, mail,
 * Tomcat, the servlet stack, metrics and observations) and is left out before Spring reads it: about
 * 130 auto-configurations pass the class-path check, and reading and evaluating their conditions
 * took a large part of every start. {@code serve}, a web application, keeps them all. Registered in
 * {@code META-INF/spring.factories}; it looks at class names only, so nothing it leaves out is loaded.
 */
public final class CommandLineAutoConfigurations
        implements AutoConfigurationImportFilter, EnvironmentAware, ResourceLoaderAware {

    private static final String BOOT = "org.springframework.boot.";

    /** What the command-line tools use, by class name. */
    static final Set<String> USED = Set.of(BOOT + "autoconfigure.aop.AopAutoConfiguration",
            BOOT + "autoconfigure.context.ConfigurationPropertiesAutoConfiguration",
            BOOT + "autoconfigure.context.LifecycleAutoConfiguration",
            BOOT + "autoconfigure.context.PropertyPlaceholderAutoConfiguration",
            BOOT + "autoconfigure.ssl.SslAutoConfiguration",
            BOOT + "autoconfigure.task.TaskExecutionAutoConfiguration",
            BOOT + "autoconfigure.task.TaskSchedulingAutoConfiguration",
            BOOT + "jdbc.autoconfigure.DataSourceAutoConfiguration",
            BOOT + "jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            BOOT + "jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            BOOT + "jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            BOOT + "persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
            BOOT + "transaction.autoconfigure.TransactionAutoConfiguration",
            BOOT + "transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration",
            BOOT + "flyway.autoconfigure.FlywayAutoConfiguration",
            BOOT + "batch.autoconfigure.BatchAutoConfiguration",
            BOOT + "batch.autoconfigure.BatchJobLauncherAutoConfiguration",
            BOOT + "batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration",
            BOOT + "jackson.autoconfigure.JacksonAutoConfiguration",
            BOOT + "http.client.autoconfigure.HttpClientAutoConfiguration",
            BOOT + "http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
            BOOT + "http.codec.autoconfigure.CodecsAutoConfiguration",
            BOOT + "webclient.autoconfigure.WebClientAutoConfiguration",
            "picocli.spring.boot.autoconfigure.PicocliAutoConfiguration");

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
            matches[i] = web || autoConfigurationClasses[i] == null || !isUnused(autoConfigurationClasses[i]);
        }
        return matches;
    }

    /**
     * Whether this is an auto-configuration that the command-line tools do not use. Spring Boot also
     * asks about every class an auto-configuration imports (the pools of {@code DataSourceConfiguration},
     * say): those are left to their auto-configuration's conditions.
     */
    static boolean isUnused(String className) {
        return className.endsWith("AutoConfiguration") && className.indexOf('$') < 0 && !USED.contains(className);
    }

    /** As {@code @ConditionalOnWebApplication} decides it for a servlet application. */
    private boolean isWebApplication() {
        return this.environment instanceof ConfigurableWebEnvironment
                || this.resourceLoader instanceof WebApplicationContext;
    }

}
