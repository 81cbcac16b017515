package dev.bulkoffboarding;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/**
 * A command-line tool builds only the beans its command uses: every command except {@code serve}
 * starts with lazy initialisation. {@code validate}, {@code runs} or {@code report} then never create
 * the Quipteams HTTP client (WebClient, Reactor Netty), the built-in sandbox or the offboarding job's
 * submit step, and {@code run} creates them when its job starts. {@code serve} (a web application)
 * builds everything at start, so that a broken setting stops it at once rather than at 02:00.
 * Registered in {@code META-INF/spring.factories}, so that tests get the same contexts.
 */
public final class CommandLineStartup implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!(context instanceof WebApplicationContext)) {
            context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
        }
    }

}
