package dev.bulkoffboarding.quipteams;

import dev.bulkoffboarding.sandbox.LifecycleProperties;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Chooses where requests go: Quipteams when {@code QUIPTEAMS_API_KEY} is set, otherwise the
 * in-process sandbox, started on demand and announced loudly so that nobody mistakes a demo for
 * real offboarding.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    private static final Log logger = LogFactory.getLog(ApiConfiguration.class);

    @Bean
    ApiMode apiMode(QuipteamsProperties properties) {
        return new ApiMode(!StringUtils.hasText(properties.apiKey()));
    }

    @Bean(destroyMethod = "close")
    SandboxHolder sandboxHolder(ApiMode mode, SandboxProperties sandboxProperties, LifecycleProperties lifecycle) {
        return new SandboxHolder(mode.sandbox() ? sandboxProperties : null, lifecycle);
    }

    @Bean
    ApiEndpoint apiEndpoint(QuipteamsProperties properties, ApiMode mode, ObjectProvider<SandboxHolder> holder) {
        if (!mode.sandbox()) {
            return new ApiEndpoint(properties.baseUrl(), ApiKey.of(properties.apiKey().trim()));
        }
        SandboxServer sandbox = holder.getObject().server();
        // Commands that send print the SANDBOX banner themselves; this is for the log of every start.
        logger.info("No QUIPTEAMS_API_KEY configured: device actions go to the built-in SANDBOX at "
                + sandbox.baseUri() + "; nothing will be sent to Quipteams.");
        return new ApiEndpoint(sandbox.baseUri(), ApiKey.of(SandboxServer.sandboxKey()));
    }

    /** Owns the sandbox server, so that it stops with the application. */
    static final class SandboxHolder implements AutoCloseable {

        private final SandboxProperties properties;

        private final LifecycleProperties lifecycle;

        private SandboxServer server;

        SandboxHolder(SandboxProperties properties, LifecycleProperties lifecycle) {
            this.properties = properties;
            this.lifecycle = lifecycle;
        }

        synchronized SandboxServer server() {
            if (this.server == null) {
                this.server = SandboxServer.start(this.properties);
                // the demo's actions ship and complete, so that 'track' has a story to tell, also
                // in a later command: the journal gives its sandbox the actions created before
                this.server.setLifecycleStep(this.lifecycle.step());
                if (this.lifecycle.journal() != null && !this.lifecycle.journal().toString().isBlank()) {
                    this.server.rememberActionsIn(this.lifecycle.journal());
                }
            }
            return this.server;
        }

        @Override
        public synchronized void close() {
            if (this.server != null) {
                this.server.close();
            }
        }

    }

}
