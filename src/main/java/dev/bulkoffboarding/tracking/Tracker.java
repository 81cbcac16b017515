package dev.bulkoffboarding.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.quipteams.ActionListing;
import dev.bulkoffboarding.quipteams.QuipteamsProperties;
import dev.bulkoffboarding.quipteams.VendorState;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;
import dev.bulkoffboarding.tracking.TrackedActions.Applied;
import dev.bulkoffboarding.tracking.TrackedActions.Source;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Refreshes what the vendor says about the actions our runs created: one listing of the vendor's
 * actions created since the earliest first send (less the clock skew we allow the vendor), 100 per
 * page, each item applied through {@link TrackedActions#apply} (an action that is not ours is
 * ignored; a state older than the one recorded never replaces it). An action of ours the list does
 * not show yet (the vendor's list may lag behind creation) keeps the state it has.
 *
 * <p>Every refresh publishes one {@link TrackingRefreshed}, whatever the number of rows.
 */
@Component
public class Tracker {

    private static final Log logger = LogFactory.getLog(Tracker.class);

    private final TrackedActions actions;

    private final ActionListing listing;

    private final Ledger ledger;

    private final ApiMode apiMode;

    private final TrackingProperties properties;

    private final QuipteamsProperties quipteams;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    Tracker(TrackedActions actions, ActionListing listing, Ledger ledger, ApiMode apiMode,
            TrackingProperties properties, QuipteamsProperties quipteams, ApplicationEventPublisher events,
            Clock clock) {
        this.actions = actions;
        this.listing = listing;
        this.ledger = ledger;
        this.apiMode = apiMode;
        this.properties = properties;
        this.quipteams = quipteams;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Refreshes the actions of one run.
     *
     * @throws IllegalArgumentException when there is no such run, or it was sent elsewhere (to the
     *     sandbox while a key is configured, or the other way round)
     * @throws dev.bulkoffboarding.quipteams.SystemicFailureException when the key is rejected
     * @throws dev.bulkoffboarding.quipteams.QuipteamsCallException when the vendor's list cannot be read
     */
    public Refresh refresh(long runId) {
        RunRecord run = this.ledger.findRun(runId)
            .orElseThrow(() -> new IllegalArgumentException("There is no run " + runId + " (see 'runs')."));
        if (run.sandbox() != this.apiMode.sandbox()) {
            throw new IllegalArgumentException("Run " + runId + " was sent to "
                    + (run.sandbox() ? "the built-in sandbox" : "Quipteams") + ", and this process talks to "
                    + (this.apiMode.sandbox() ? "the sandbox (no QUIPTEAMS_API_KEY)" : "Quipteams")
                    + ": it can only be tracked where it was sent.");
        }
        return refresh(List.of(runId), false);
    }

    /**
     * Refreshes every run with an action the vendor has not finished with, sent where this process
     * sends (the sandbox or Quipteams).
     *
     * @param scheduled whether serve's schedule asked (passed on in {@link TrackingRefreshed})
     */
    public Refresh refreshOpenRuns(boolean scheduled) {
        List<Long> runIds = new ArrayList<>();
        for (long runId : this.actions.runsWithOpenActions(this.properties)) {
            Optional<RunRecord> run = this.ledger.findRun(runId);
            if (run.isPresent() && run.get().sandbox() == this.apiMode.sandbox()) {
                runIds.add(runId);
            }
        }
        return refresh(runIds, scheduled);
    }

    private Refresh refresh(List<Long> runIds, boolean scheduled) {
        Instant since = null;
        for (long runId : runIds) {
            Instant firstSend = this.actions.firstSendOf(runId);
            if (firstSend != null && (since == null || firstSend.isBefore(since))) {
                since = firstSend;
            }
        }
        Counts counts = new Counts();
        if (since != null) {
            // the vendor stamps created_at with its own clock: start a little earlier than our first send
            Instant createdAfter = since.minus(this.quipteams.reconcileClockSkew());
            ActionListing.Listed listed = this.listing.forEachCreatedAfter(createdAfter, (page) -> {
                Instant now = now();
                for (VendorState state : page) {
                    counts.add(this.actions.apply(state, Source.POLL, now));
                }
            });
            counts.pages = listed.pages();
            counts.listed = listed.actions();
        }
        Instant now = now();
        List<TrackedAction> stalled = new ArrayList<>();
        for (long runId : runIds) {
            this.actions.markChecked(runId, now);
            this.actions.forRun(runId)
                .stream()
                .filter((action) -> action.isStalled(this.properties, now))
                .forEach(stalled::add);
        }
        Refresh refresh = new Refresh(runIds, counts.pages, counts.listed, counts.ours, counts.changed, stalled, now);
        if (!runIds.isEmpty()) {
            logger.info("Tracking: " + runIds.size() + " run(s) refreshed from " + counts.pages + " page(s) of the "
                    + "vendor's list: " + counts.ours + " of our actions seen, " + counts.changed + " changed, "
                    + stalled.size() + " stalled.");
        }
        this.events.publishEvent(new TrackingRefreshed(runIds, stalled, now, scheduled));
        return refresh;
    }

    /** Milliseconds, as both databases keep them exactly: the time reported is the time recorded. */
    private Instant now() {
        return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The configured statuses and stalled-after, for those who print what a refresh found. */
    public TrackingProperties properties() {
        return this.properties;
    }

    private static final class Counts {

        int pages;

        long listed;

        long ours;

        long changed;

        void add(Applied applied) {
            if (applied != Applied.NOT_OURS) {
                this.ours++;
            }
            if (applied == Applied.CHANGED) {
                this.changed++;
            }
        }

    }

    /**
     * What one refresh did.
     *
     * @param runIds the runs refreshed
     * @param pages the vendor's list pages read
     * @param listed the actions those pages held (ours or not)
     * @param seen how many of them were ours
     * @param changed how many of ours changed state
     * @param stalled the actions of these runs stalled now
     * @param at when the refresh finished
     */
    public record Refresh(List<Long> runIds, int pages, long listed, long seen, long changed,
            List<TrackedAction> stalled, Instant at) {

        public Refresh {
            runIds = List.copyOf(runIds);
            stalled = List.copyOf(stalled);
        }

    }

}
