package dev.bulkoffboarding.web;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What the vendor did with a run's actions, as far as tracking knows: the second half of the
 * story after our own outcomes. Actions not refreshed yet count with the status the vendor gave
 * when it created them.
 *
 * @param actions actions the run created (rows SUBMITTED with the vendor's id)
 * @param completed of those, in a completed status ({@code offboarding.tracking.completed-statuses})
 * @param closed in a closed status: ended without completing
 * @param stalled open, and unchanged for {@code offboarding.tracking.stalled-after}
 * @param wipesRequested actions that asked for a wipe
 * @param wipesCompleted of those, the wipes the vendor says are done
 * @param statuses actions per vendor status
 * @param lastCheckedAt when we last asked the vendor about any of them (null: never)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record VendorProgress(long actions, long completed, long closed, long stalled, long wipesRequested,
        long wipesCompleted, Map<String, Long> statuses, Instant lastCheckedAt) {

    static final VendorProgress NONE = new VendorProgress(0, 0, 0, 0, 0, 0, Map.of(), null);

    VendorProgress {
        statuses = Collections.unmodifiableMap(new TreeMap<>(statuses));
    }

    /** Open actions that are moving: neither finished nor stalled. */
    @JsonProperty("in_progress")
    public long inProgress() {
        return Math.max(0, this.actions - this.completed - this.closed - this.stalled);
    }

    /** "3 of 26 completed, 1 of 8 wipes done": the runs list's one line. */
    public String line() {
        return this.completed + " of " + this.actions + " completed, " + this.wipesCompleted + " wipe"
                + ((this.wipesCompleted == 1) ? "" : "s") + " done";
    }

    static final class Builder {

        private long actions;

        private long completed;

        private long closed;

        private long stalled;

        private long wipesRequested;

        private long wipesCompleted;

        private final Map<String, Long> statuses = new TreeMap<>();

        private Instant lastCheckedAt;

        void add(String status, boolean isCompleted, boolean isFinished, boolean wipe, boolean wiped, boolean old,
                long count, Instant checkedAt) {
            this.actions += count;
            if (isCompleted) {
                this.completed += count;
            }
            else if (isFinished) {
                this.closed += count;
            }
            else if (old) {
                this.stalled += count;
            }
            if (wipe) {
                this.wipesRequested += count;
                this.wipesCompleted += wiped ? count : 0;
            }
            this.statuses.merge((status == null) ? "" : status, count, Long::sum);
            if (checkedAt != null && (this.lastCheckedAt == null || checkedAt.isAfter(this.lastCheckedAt))) {
                this.lastCheckedAt = checkedAt;
            }
        }

        VendorProgress build() {
            return new VendorProgress(this.actions, this.completed, this.closed, this.stalled, this.wipesRequested,
                    this.wipesCompleted, this.statuses, this.lastCheckedAt);
        }

    }

}
