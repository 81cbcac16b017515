package dev.bulkoffboarding.quipteams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Quipteams client beans. The {@link ApiEndpoint} comes from elsewhere: the application
 * decides between the configured key and the sandbox.
 */
@Configuration(proxyBeanMethods = false)
class QuipteamsConfiguration {

    @Bean
    RequestPacer requestPacer(QuipteamsProperties properties) {
        return new RequestPacer(properties);
    }

    @Bean
    DeviceActionClient deviceActionClient(WebClient.Builder webClientBuilder, ApiEndpoint apiEndpoint,
            QuipteamsProperties properties, RequestPacer requestPacer) {
        return new DeviceActionClient(webClientBuilder, apiEndpoint, properties, requestPacer);
    }

    @Bean
    ActionListing actionListing(DeviceActionClient deviceActionClient) {
        return new ActionListing(deviceActionClient);
    }

    @Bean
    DeviceActionSubmitter deviceActionSubmitter(DeviceActionClient deviceActionClient,
            QuipteamsProperties properties) {
        return new DeviceActionSubmitter(deviceActionClient, properties);
    }

    @Bean
    InventoryLookup inventoryLookup(DeviceActionClient deviceActionClient, QuipteamsProperties properties) {
        return new InventoryLookup(deviceActionClient, properties);
    }

}
