package dev.bulkoffboarding.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.bulkoffboarding.quipteams.VendorState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vendor's latest state of every action we created ({@code action_tracking}) and the statuses
 * each went through ({@code action_status_event}). Polling and webhooks both write here through
 * {@link #apply}: a state never replaces a newer one, whichever arrives last, so deliveries may
 * come out of order and a lagging list page cannot undo a webhook.
 */
@Repository
public class TrackedActions {

    /** What brought a state. */
    public enum Source {
        /** A refresh that listed the vendor's actions. */
        POLL,
        /** A signed webhook delivery. */
        WEBHOOK
    }

    /** What {@link #apply} did. */
    public enum Applied {
        /** The state differs from what we had (or is the first we hear): recorded. */
        CHANGED,
        /** The same state as before: only the time we last checked moved. */
        UNCHANGED,
        /** Older than the state we have: ignored (the time we last checked still moved). */
        OLDER,
        /** No submitted row of ours has this vendor id: nothing recorded. */
        NOT_OURS
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int STATUS_LENGTH = 64;

    private static final int CODE_LENGTH = 200;

    private static final int LINK_LENGTH = 2000;

    private static final String ACTION_COLUMNS = "r.run_id, r.line_number, r.serial_number, r.action_type, "
            + "r.action_id, r.vendor_id, r.wipe, r.submitting_at, r.finished_at, t.vendor_status, t.status_timestamps, "
            + "t.tracking_code, t.tracking_link, t.wipe_completed, t.vendor_updated_at, t.changed_at, t.last_checked_at";

    private static final String ACTIONS_FROM = " from offboarding_row r left join action_tracking t "
            + "on t.run_id = r.run_id and t.line_number = r.line_number "
            + "where r.state = 'SUBMITTED' and r.vendor_id is not null and r.vendor_id <> ''";

    private final JdbcTemplate jdbc;

    private final TransactionTemplate ownTransaction;

    public TrackedActions(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Records what the vendor says about one of its actions, in its own transaction, for every
     * submitted row of ours with that vendor id. A state whose {@code updated_at} is older than the
     * one recorded is ignored.
     */
    public Applied apply(VendorState state, Source source, Instant now) {
        Objects.requireNonNull(state.vendorId(), "vendorId");
        try {
            return this.ownTransaction.execute((tx) -> applyInTransaction(state, source, now));
        }
        catch (DuplicateKeyException concurrentFirstState) {
            // a webhook and a refresh recorded the first state at once: the row exists now
            return this.ownTransaction.execute((tx) -> applyInTransaction(state, source, now));
        }
    }

    /**
     * As {@link #apply}, but first asks {@code firstTime}, in the same transaction: when it answers
     * false (a webhook delivery already applied), nothing is recorded and the result is empty. What
     * {@code firstTime} writes (the delivery's id) commits or rolls back with the state, so a
     * delivery is applied exactly once or not at all. It may be asked twice when two writers record
     * an action's first state at once (the first attempt is rolled back).
     */
    public Optional<Applied> applyOnce(BooleanSupplier firstTime, VendorState state, Source source, Instant now) {
        Objects.requireNonNull(state.vendorId(), "vendorId");
        try {
            return this.ownTransaction.execute((tx) -> firstTime.getAsBoolean()
                    ? Optional.of(applyInTransaction(state, source, now)) : Optional.<Applied>empty());
        }
        catch (DuplicateKeyException concurrentFirstState) {
            return this.ownTransaction.execute((tx) -> firstTime.getAsBoolean()
                    ? Optional.of(applyInTransaction(state, source, now)) : Optional.<Applied>empty());
        }
    }

    private Applied applyInTransaction(VendorState state, Source source, Instant now) {
        List<long[]> rows = this.jdbc.query(
                "select run_id, line_number from offboarding_row where vendor_id = ? and state = 'SUBMITTED'",
                (rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) }, state.vendorId());
        Applied result = Applied.NOT_OURS;
        for (long[] row : rows) {
            Applied applied = applyToRow(row[0], row[1], state, source, now);
            if (result == Applied.NOT_OURS || applied == Applied.CHANGED) {
                result = applied;
            }
        }
        return result;
    }

    private Applied applyToRow(long runId, long line, VendorState state, Source source, Instant now) {
        List<Recorded> existing = this.jdbc.query("select vendor_status, status_timestamps, tracking_code, "
                + "tracking_link, wipe_completed, vendor_updated_at from action_tracking "
                + "where run_id = ? and line_number = ? for update", (rs, n) -> new Recorded(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Boolean) rs.getObject(5), instant(rs.getTimestamp(6))),
                runId, line);
        String status = cut(state.status(), STATUS_LENGTH);
        String code = cut(state.trackingCode(), CODE_LENGTH);
        String link = cut(state.trackingLink(), LINK_LENGTH);
        if (existing.isEmpty()) {
            this.jdbc.update("insert into action_tracking (run_id, line_number, vendor_id, vendor_status, "
                    + "status_timestamps, tracking_code, tracking_link, wipe_completed, vendor_updated_at, changed_at, "
                    + "last_checked_at, source) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, line,
                    state.vendorId(), status, timestampsJson(null, state), code, link, state.wipeCompleted(),
                    timestamp(state.updatedAt()), timestamp(now), timestamp(now), source.name());
            recordEvents(runId, line, state, source, now);
            return Applied.CHANGED;
        }
        Recorded recorded = existing.get(0);
        if (recorded.updatedAt() != null && state.updatedAt() != null && state.updatedAt().isBefore(recorded.updatedAt())) {
            touch(runId, line, now);
            return Applied.OLDER;
        }
        boolean changed = !Objects.equals(recorded.status(), status) || !Objects.equals(recorded.trackingCode(), code)
                || !Objects.equals(recorded.trackingLink(), link)
                || !Objects.equals(recorded.wipeCompleted(), state.wipeCompleted());
        if (!changed && Objects.equals(recorded.updatedAt(), state.updatedAt()) && state.statusTimestamps().isEmpty()) {
            touch(runId, line, now);
            return Applied.UNCHANGED;
        }
        this.jdbc.update("update action_tracking set vendor_status = ?, status_timestamps = ?, tracking_code = ?, "
                + "tracking_link = ?, wipe_completed = ?, vendor_updated_at = coalesce(?, vendor_updated_at), "
                + "changed_at = " + (changed ? "?" : "changed_at") + ", last_checked_at = ?, source = ? "
                + "where run_id = ? and line_number = ?", changed
                        ? new Object[] { status, timestampsJson(recorded.statusTimestamps(), state), code, link,
                                state.wipeCompleted(), timestamp(state.updatedAt()), timestamp(now), timestamp(now),
                                source.name(), runId, line }
                        : new Object[] { status, timestampsJson(recorded.statusTimestamps(), state), code, link,
                                state.wipeCompleted(), timestamp(state.updatedAt()), timestamp(now), source.name(),
                                runId, line });
        recordEvents(runId, line, state, source, now);
        return changed ? Applied.CHANGED : Applied.UNCHANGED;
    }

    private void touch(long runId, long line, Instant now) {
        this.jdbc.update("update action_tracking set last_checked_at = ? where run_id = ? and line_number = ?",
                timestamp(now), runId, line);
    }

    /**
     * Each status with its time: the vendor's own timestamp where it sent one (which then replaces
     * the time we saw it), else the vendor's update time, else now.
     */
    private void recordEvents(long runId, long line, VendorState state, Source source, Instant now) {
        Map<String, Instant> vendorTimes = new LinkedHashMap<>();
        state.statusTimestamps().forEach((name, at) -> vendorTimes.put(cut(name, STATUS_LENGTH), at));
        String current = cut(state.status(), STATUS_LENGTH);
        for (Map.Entry<String, Instant> event : vendorTimes.entrySet()) {
            int updated = this.jdbc.update("update action_status_event set occurred_at = ?, source = 'VENDOR' "
                    + "where run_id = ? and line_number = ? and vendor_status = ? and source <> 'VENDOR'",
                    timestamp(event.getValue()), runId, line, event.getKey());
            if (updated == 0) {
                insertEventIfAbsent(runId, line, event.getKey(), event.getValue(), "VENDOR", now);
            }
        }
        if (current != null && !vendorTimes.containsKey(current)) {
            Instant at = (state.updatedAt() != null) ? state.updatedAt() : now;
            insertEventIfAbsent(runId, line, current, at, source.name(), now);
        }
    }

    private void insertEventIfAbsent(long runId, long line, String status, Instant at, String source, Instant now) {
        Integer present = this.jdbc.queryForObject("select count(*) from action_status_event "
                + "where run_id = ? and line_number = ? and vendor_status = ?", Integer.class, runId, line, status);
        if (present != null && present == 0) {
            this.jdbc.update("insert into action_status_event (run_id, line_number, vendor_status, occurred_at, "
                    + "recorded_at, source) values (?, ?, ?, ?, ?, ?)", runId, line, status, timestamp(at),
                    timestamp(now), source);
        }
    }

    /** Every action a run created, with its tracked state, in line order. */
    public List<TrackedAction> forRun(long runId) {
        return this.jdbc.query("select " + ACTION_COLUMNS + ACTIONS_FROM + " and r.run_id = ? order by r.line_number",
                TrackedActions::mapAction, runId);
    }

    /** The statuses each action of a run went through, by line and then time. */
    public List<StatusEvent> events(long runId) {
        return this.jdbc.query("select line_number, vendor_status, occurred_at, source from action_status_event "
                + "where run_id = ? order by line_number, occurred_at, vendor_status",
                (rs, n) -> new StatusEvent(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)),
                        rs.getString(4)), runId);
    }

    /** Runs that created at least one action the vendor has not finished with (or that we never checked). */
    public List<Long> runsWithOpenActions(TrackingProperties properties) {
        Map<Long, Boolean> open = new LinkedHashMap<>();
        this.jdbc.query("select r.run_id, t.vendor_status" + ACTIONS_FROM + " order by r.run_id", (ResultSet rs) -> {
            long runId = rs.getLong(1);
            if (!properties.isFinished(rs.getString(2))) {
                open.put(runId, true);
            }
        });
        return List.copyOf(open.keySet());
    }

    /** When a run's first request left: tracking lists only actions created after it. */
    public Instant firstSendOf(long runId) {
        return instant(this.jdbc.queryForObject("select min(submitting_at) from offboarding_row "
                + "where run_id = ? and state = 'SUBMITTED'", Timestamp.class, runId));
    }

    /** Records that we asked the vendor about these rows now, whether or not anything changed. */
    public void markChecked(long runId, Instant now) {
        this.jdbc.update("update action_tracking set last_checked_at = ? where run_id = ?", timestamp(now), runId);
    }

    private static String timestampsJson(String recordedJson, VendorState state) {
        ObjectNode merged = JSON.createObjectNode();
        if (recordedJson != null) {
            try {
                JsonNode recorded = JSON.readTree(recordedJson);
                if (recorded.isObject()) {
                    merged.setAll((ObjectNode) recorded);
                }
            }
            catch (RuntimeException unreadable) {
                // replaced below
            }
        }
        state.statusTimestamps().forEach((status, at) -> merged.put(status, at.toString()));
        return merged.isEmpty() ? null : JSON.writeValueAsString(merged);
    }

    static Map<String, Instant> parseTimestamps(String json) {
        Map<String, Instant> timestamps = new LinkedHashMap<>();
        if (json == null) {
            return timestamps;
        }
        try {
            JsonNode node = JSON.readTree(json);
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                timestamps.put(entry.getKey(), Instant.parse(entry.getValue().asString()));
            }
        }
        catch (RuntimeException unreadable) {
            timestamps.clear();
        }
        return timestamps;
    }

    private static TrackedAction mapAction(ResultSet rs, int rowNum) throws SQLException {
        return new TrackedAction(rs.getLong("run_id"), rs.getLong("line_number"), rs.getString("serial_number"),
                rs.getString("action_type"), rs.getString("action_id"), rs.getString("vendor_id"),
                rs.getBoolean("wipe"), instant(rs.getTimestamp("submitting_at")), instant(rs.getTimestamp("finished_at")),
                rs.getString("vendor_status"), parseTimestamps(rs.getString("status_timestamps")),
                rs.getString("tracking_code"), rs.getString("tracking_link"), (Boolean) rs.getObject("wipe_completed"),
                instant(rs.getTimestamp("vendor_updated_at")), instant(rs.getTimestamp("changed_at")),
                instant(rs.getTimestamp("last_checked_at")));
    }

    private static String cut(String value, int length) {
        return (value == null || value.length() <= length) ? value : value.substring(0, length);
    }

    private static Timestamp timestamp(Instant instant) {
        return (instant == null) ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp == null) ? null : timestamp.toInstant();
    }

    private record Recorded(String status, String statusTimestamps, String trackingCode, String trackingLink,
            Boolean wipeCompleted, Instant updatedAt) {
    }

    /**
     * A status an action reached, and when.
     *
     * @param lineNumber the row's line
     * @param status the vendor's status text
     * @param occurredAt when it was reached
     * @param source VENDOR (the vendor's own timestamp), POLL or WEBHOOK (when we first saw it)
     */
    public record StatusEvent(long lineNumber, String status, Instant occurredAt, String source) {
    }

}
