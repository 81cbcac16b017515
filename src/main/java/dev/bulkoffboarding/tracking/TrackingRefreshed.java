package dev.bulkoffboarding.tracking;

import java.time.Instant;
import java.util.List;

/**
 * Published once after a refresh of the vendor's state (a {@code track} command or serve's
 * scheduled refresh), never once per row: what listeners such as the e-mail digest need.
 *
 * @param runIds the runs refreshed
 * @param stalled the actions stalled after this refresh, across those runs
 * @param at when the refresh finished
 * @param scheduled whether serve's schedule started it (rather than a person)
 */
public record TrackingRefreshed(List<Long> runIds, List<TrackedAction> stalled, Instant at, boolean scheduled) {

    public TrackingRefreshed {
        runIds = List.copyOf(runIds);
        stalled = List.copyOf(stalled);
    }

}
