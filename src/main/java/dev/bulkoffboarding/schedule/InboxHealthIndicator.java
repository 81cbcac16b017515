package dev.bulkoffboarding.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** Whether the inbox and its archive, failed and processing folders exist and can be written. */
@Component("inbox")
@ConditionalOnWebApplication
class InboxHealthIndicator extends AbstractHealthIndicator {

    private final InboxProperties properties;

    InboxHealthIndicator(InboxProperties properties) {
        super("The inbox cannot be checked");
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("dir", this.properties.dir().toAbsolutePath().normalize().toString());
        for (Path folder : List.of(this.properties.dir(), this.properties.archive(), this.properties.failed(),
                this.properties.processing())) {
            if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
                builder.down().withDetail("problem", folder + " is missing or not writable");
                return;
            }
        }
        builder.up().withDetail("waiting", InboxFolder.csvFiles(this.properties.dir()).size());
    }

}
