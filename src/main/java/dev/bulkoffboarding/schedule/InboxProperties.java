package dev.bulkoffboarding.schedule;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inbox folder that {@code serve} picks nightly exports up from.
 *
 * @param dir the folder; {@code archive/}, {@code failed/} and {@code processing/} are made inside it
 * @param doneMarker when true, {@code x.csv} is taken only once {@code x.csv.done} exists (the exporter
 * writes the marker after the file); when false, once its size and modification time stay the same
 * across two checks
 * @param stabilityInterval the time between those two checks
 * @param maxWait how long one pass keeps waiting for files that are still being written before it
 * leaves them to the next pass
 */
@ConfigurationProperties("offboarding.inbox")
public record InboxProperties(@DefaultValue("./inbox") Path dir, @DefaultValue("false") boolean doneMarker,
        @DefaultValue("5s") Duration stabilityInterval, @DefaultValue("1h") Duration maxWait) {

    /** Where files go whose run completed (or that repeat a completed run). */
    public Path archive() {
        return this.dir.resolve("archive");
    }

    /** Where files go that were rejected or whose run failed. */
    public Path failed() {
        return this.dir.resolve("failed");
    }

    /** Where a file waits while its run goes on, under a name of its own. */
    public Path processing() {
        return this.dir.resolve("processing");
    }

}
