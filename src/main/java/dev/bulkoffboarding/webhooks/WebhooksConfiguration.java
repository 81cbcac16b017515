package dev.bulkoffboarding.webhooks;

import dev.bulkoffboarding.quipteams.ApiEndpoint;
import dev.bulkoffboarding.quipteams.QuipteamsProperties;
import dev.bulkoffboarding.quipteams.RequestPacer;
import dev.bulkoffboarding.quipteams.WebhookClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** The vendor's webhook endpoints, reached with the same key, endpoint and pacer as device actions. */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    @Bean
    WebhookClient webhookClient(WebClient.Builder webClientBuilder, ApiEndpoint apiEndpoint,
            QuipteamsProperties properties, RequestPacer requestPacer) {
        return new WebhookClient(webClientBuilder, apiEndpoint, properties, requestPacer);
    }

}
