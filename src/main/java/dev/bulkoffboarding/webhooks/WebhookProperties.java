package dev.bulkoffboarding.webhooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How {@code serve} hears from Quipteams at once: the signed deliveries of its webhooks.
 *
 * @param secret a webhook secret given by the deployment (its secret store, an environment
 * variable {@code OFFBOARDING_WEBHOOKS_SECRET}); accepted besides those in {@code secretsFile}
 * @param secretsFile where {@code webhooks register} keeps the secrets it received, readable by
 * the application's user only; unset means {@code webhook-secrets} in {@code offboarding.data-dir}
 * @param maxBodySize a delivery larger than this is refused (413) before it is read to its end
 * @param events what {@code webhooks register} subscribes to unless {@code --event} says otherwise
 * @param rememberDeliveries how long a delivery's id is kept to recognise the vendor sending it
 * again
 */
@ConfigurationProperties("offboarding.webhooks")
public record WebhookProperties(String secret, Path secretsFile, @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("logistics.*") List<String> events, @DefaultValue("30d") Duration rememberDeliveries) {

    public WebhookProperties {
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("offboarding.webhooks.max-body-size must be between 1 byte and 2GB");
        }
        events = List.copyOf(events);
    }

    /** Never the secret: a configuration printed in a log or an error shows whether one is set, no more. */
    @Override
    public String toString() {
        return "WebhookProperties[secret=" + ((this.secret == null || this.secret.isBlank()) ? "unset" : "****")
                + ", secretsFile=" + this.secretsFile + ", maxBodySize=" + this.maxBodySize + ", events=" + this.events
                + ", rememberDeliveries=" + this.rememberDeliveries + "]";
    }

}
