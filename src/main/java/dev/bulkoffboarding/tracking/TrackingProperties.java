package dev.bulkoffboarding.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How actions are followed after the vendor created them. The vendor documents only the status
 * "In Progress": which statuses end an action is configured here, compared ignoring case.
 *
 * @param stalledAfter an open action whose vendor state has not changed for this long is stalled
 * and needs a person
 * @param cron when {@code serve} refreshes every run with open actions ("-" for never)
 * @param completedStatuses statuses that mean the action is done (the laptop is back, stored, wiped
 * or handed over)
 * @param closedStatuses statuses that end an action without completing it (cancelled)
 */
@ConfigurationProperties("offboarding.tracking")
public record TrackingProperties(@DefaultValue("7d") Duration stalledAfter,
        @DefaultValue("0 0 */4 * * *") String cron,
        @DefaultValue({ "Completed", "Complete", "Delivered", "Received", "Done" }) List<String> completedStatuses,
        @DefaultValue({ "Cancelled", "Canceled", "Closed", "Rejected" }) List<String> closedStatuses) {

    /** Whether the vendor has finished with an action in this status (completed or closed). */
    public boolean isFinished(String status) {
        return isCompleted(status) || normalised(closedStatuses).contains(normalise(status));
    }

    /** Whether this status means the action was completed. */
    public boolean isCompleted(String status) {
        return normalised(completedStatuses).contains(normalise(status));
    }

    private static Set<String> normalised(List<String> statuses) {
        return statuses.stream().map(TrackingProperties::normalise).collect(Collectors.toSet());
    }

    private static String normalise(String status) {
        return (status == null) ? "" : status.strip().toLowerCase(Locale.ROOT);
    }

}
