package dev.bulkoffboarding.mail;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who hears about runs that {@code serve} started. The SMTP server itself is Spring Boot's
 * {@code spring.mail.*}.
 *
 * @param to addresses that get a summary of every run (none: no mail)
 * @param from the sender address
 * @param baseUrl the review UI's address as the recipients reach it, for the link to the run;
 * unset means {@code http://<server.address>:<server.port>}
 * @param stalledDigest whether a refresh of the vendor's state that finds stalled actions is
 * e-mailed (one mail per refresh, listing them)
 * @param digestMaxLines the most stalled actions one digest lists; the rest are counted
 */
@ConfigurationProperties("offboarding.mail")
public record RunMailProperties(@DefaultValue List<String> to, @DefaultValue("bulk-offboarding@localhost") String from,
        URI baseUrl, @DefaultValue("true") boolean stalledDigest, @DefaultValue("200") int digestMaxLines) {

    public boolean enabled() {
        return !this.to.isEmpty();
    }

}
