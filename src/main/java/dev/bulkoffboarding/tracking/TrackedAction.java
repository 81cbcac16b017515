package dev.bulkoffboarding.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One action we created, with what the vendor last told us about it. The vendor fields are null
 * until the first refresh or webhook.
 *
 * @param runId the run that sent it
 * @param lineNumber the row's line in its file
 * @param serialNumber the device's serial number as the file spelled it
 * @param actionType the action type sent
 * @param actionId the vendor's human id
 * @param vendorId the vendor's UUID
 * @param wipe whether a wipe was requested
 * @param sentAt when the row's request first left
 * @param createdAt when the vendor's answer was recorded
 * @param status the vendor's status text
 * @param statusTimestamps status to when it was reached, as the vendor last sent them
 * @param trackingCode the shipment's tracking code
 * @param trackingLink the shipment's tracking link
 * @param wipeCompleted whether the vendor says the wipe is done
 * @param vendorUpdatedAt the vendor's {@code updated_at}
 * @param changedAt when we first saw the current state
 * @param lastCheckedAt when we last asked the vendor or heard from it
 */
public record TrackedAction(long runId, long lineNumber, String serialNumber, String actionType, String actionId,
        String vendorId, boolean wipe, Instant sentAt, Instant createdAt, String status,
        Map<String, Instant> statusTimestamps, String trackingCode, String trackingLink, Boolean wipeCompleted,
        Instant vendorUpdatedAt, Instant changedAt, Instant lastCheckedAt) {

    /** Whether the vendor has told us anything about this action yet. */
    public boolean isTracked() {
        return lastCheckedAt != null;
    }

    /** Since when this action's state is what it is: the vendor's update time, else when we saw it change. */
    public Instant unchangedSince() {
        if (vendorUpdatedAt != null) {
            return vendorUpdatedAt;
        }
        return (changedAt != null) ? changedAt : createdAt;
    }

    /** Whether the vendor is done with this action (completed or closed), by the configured statuses. */
    public boolean isFinished(TrackingProperties properties) {
        return properties.isFinished(status);
    }

    /**
     * Stalled: still open, and its state has not changed for {@code stalledAfter}. An action the
     * vendor is done with never stalls.
     */
    public boolean isStalled(TrackingProperties properties, Instant now) {
        Instant since = unchangedSince();
        return !properties.isFinished(status) && since != null
                && Duration.between(since, now).compareTo(properties.stalledAfter()) >= 0;
    }

}
