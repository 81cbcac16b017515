package dev.bulkoffboarding.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.tracking.TrackingProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Pages of a run's rows for review: filtered by outcome or by the vendor's status of their
 * action, searched by serial number or e-mail address, in line order, with what the vendor last
 * told us about each action. Pages are read by offset over the (run, line) and (run, state, line)
 * indexes, which stays fast at 100,000 rows; a search scans one run's rows at most.
 */
@Repository
@ConditionalOnWebApplication
class RunQueries {

    /** Outcomes a person has to look at, as one filter. */
    static final Set<RowState> NEEDS_ATTENTION = RowState.NEEDING_ATTENTION;

    private static final String COLUMNS = "r.line_number, r.serial_number, r.action_type, r.state, r.wipe, "
            + "r.action_id, r.vendor_id, " + VendorColumns.STATUS + " as vendor_status, r.http_status, r.attempts, "
            + "r.error_code, r.error_message, r.related_run_id, t.tracking_code, t.tracking_link, t.wipe_completed, "
            + "t.vendor_updated_at, t.last_checked_at, " + VendorColumns.UNCHANGED_SINCE + " as unchanged_since";

    /** A row with what the vendor last told us about its action (nothing before the first refresh). */
    private static final String ROWS_WITH_TRACKING = " from offboarding_row r left join action_tracking t "
            + "on t.run_id = r.run_id and t.line_number = r.line_number";

    private final JdbcTemplate jdbc;

    private final TrackingProperties tracking;

    private final Clock clock;

    RunQueries(JdbcTemplate jdbc, TrackingProperties tracking, Clock clock) {
        this.jdbc = jdbc;
        this.tracking = tracking;
        this.clock = clock;
    }

    RowPage rows(long runId, Set<RowState> outcomes, String search, int page, int size) {
        return rows(runId, RowFilter.of(outcomes, search), page, size);
    }

    RowPage rows(long runId, RowFilter filter, int page, int size) {
        List<Object> arguments = new ArrayList<>();
        String where = where(runId, filter, arguments);
        // Two queries on purpose: a count over the index, then one page; a window count(*) over ()
        // would read every matching row in full first. The count joins the vendor's state only when
        // the filter asks about it.
        String countFrom = filter.aboutVendor() ? ROWS_WITH_TRACKING : " from offboarding_row r";
        Long total = this.jdbc.queryForObject("select count(*)" + countFrom + where, Long.class, arguments.toArray());
        List<Object> pageArguments = new ArrayList<>(arguments);
        pageArguments.add((long) page * size);
        pageArguments.add(size);
        Instant now = this.clock.instant();
        List<RowView> rows = this.jdbc.query("select " + COLUMNS + ROWS_WITH_TRACKING + where
                + " order by r.line_number offset ? rows fetch next ? rows only", (rs, rowNum) -> row(rs, now),
                pageArguments.toArray());
        return new RowPage(runId, page, size, (total == null) ? 0 : total, rows);
    }

    private RowView row(ResultSet rs, Instant now) throws SQLException {
        int status = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : status;
        long related = rs.getLong("related_run_id");
        Long relatedRun = rs.wasNull() ? null : related;
        String state = rs.getString("state");
        String vendorStatus = rs.getString("vendor_status");
        Instant unchangedSince = instant(rs.getTimestamp("unchanged_since"));
        boolean submitted = RowState.SUBMITTED.name().equals(state) && rs.getString("vendor_id") != null;
        boolean stalled = submitted && !this.tracking.isFinished(vendorStatus) && unchangedSince != null
                && !unchangedSince.isAfter(now.minus(this.tracking.stalledAfter()));
        return new RowView(rs.getLong("line_number"), rs.getString("serial_number"), rs.getString("action_type"),
                state, rs.getBoolean("wipe"), rs.getString("action_id"), rs.getString("vendor_id"), vendorStatus,
                httpStatus, rs.getInt("attempts"), rs.getString("error_code"), rs.getString("error_message"),
                relatedRun, rs.getString("tracking_code"), rs.getString("tracking_link"),
                (Boolean) rs.getObject("wipe_completed"), instant(rs.getTimestamp("vendor_updated_at")),
                instant(rs.getTimestamp("last_checked_at")), submitted ? unchangedSince : null, stalled);
    }

    /** The vendor's progress on one run's actions: the vendor-status filters of the run page. */
    VendorProgress progress(long runId) {
        return progress(List.of(runId)).getOrDefault(runId, VendorProgress.NONE);
    }

    /**
     * The vendor's progress on the actions of each run: statuses, completed, stalled, wipes done.
     * One grouped query for all the runs of a page.
     */
    Map<Long, VendorProgress> progress(Collection<Long> runIds) {
        Map<Long, VendorProgress.Builder> builders = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return Map.of();
        }
        Instant stalledBefore = this.clock.instant().minus(this.tracking.stalledAfter());
        List<Object> arguments = new ArrayList<>();
        arguments.add(Timestamp.from(stalledBefore));
        arguments.addAll(runIds);
        String in = String.join(", ", runIds.stream().map((id) -> "?").toList());
        this.jdbc.query("select run_id, vendor_status, wipe, wipe_completed, old, count(*), max(last_checked_at) "
                + "from (select r.run_id, " + VendorColumns.STATUS + " as vendor_status, r.wipe, t.wipe_completed, "
                + "case when " + VendorColumns.UNCHANGED_SINCE + " <= ? then 1 else 0 end as old, t.last_checked_at"
                + ROWS_WITH_TRACKING + " where r.state = 'SUBMITTED' and r.vendor_id is not null and r.vendor_id <> '' "
                + "and r.run_id in (" + in + ")) actions group by run_id, vendor_status, wipe, wipe_completed, old",
                (ResultSet rs) -> {
                    long runId = rs.getLong(1);
                    String status = rs.getString(2);
                    boolean wipe = rs.getBoolean(3);
                    boolean wiped = Boolean.TRUE.equals(rs.getObject(4));
                    boolean old = rs.getInt(5) == 1;
                    long count = rs.getLong(6);
                    Instant checked = instant(rs.getTimestamp(7));
                    builders.computeIfAbsent(runId, (id) -> new VendorProgress.Builder())
                        .add(status, this.tracking.isCompleted(status), this.tracking.isFinished(status), wipe, wiped,
                                old, count, checked);
                }, arguments.toArray());
        Map<Long, VendorProgress> progress = new LinkedHashMap<>();
        builders.forEach((runId, builder) -> progress.put(runId, builder.build()));
        return progress;
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp == null) ? null : timestamp.toInstant();
    }

    Map<RowState, Long> counts(long runId) {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        this.jdbc.query("select state, count(*) from offboarding_row where run_id = ? group by state", (ResultSet rs) -> {
            counts.put(RowState.valueOf(rs.getString(1)), rs.getLong(2));
        }, runId);
        return counts;
    }

    private String where(long runId, RowFilter filter, List<Object> arguments) {
        StringBuilder where = new StringBuilder(" where r.run_id = ?");
        arguments.add(runId);
        Collection<RowState> outcomes = filter.outcomes();
        String search = filter.search();
        if (outcomes != null && !outcomes.isEmpty()) {
            where.append(" and r.state in (");
            where.append(String.join(", ", outcomes.stream().map((state) -> "?").toList()));
            where.append(')');
            outcomes.forEach((state) -> arguments.add(state.name()));
        }
        if (search != null && !search.isBlank()) {
            String term = search.trim();
            if (term.contains("@")) {
                // an e-mail address: among the record's own cells (the ledger keeps no column for it)
                where.append(" and lower(r.source_cells) like ? escape '\\'");
                arguments.add("%" + escapeLike(term.toLowerCase(Locale.ROOT)) + "%");
            }
            else {
                // a serial number, or part of one, as the ledger keys it (trimmed, upper case)
                where.append(" and r.serial_key like ? escape '\\'");
                arguments.add("%" + escapeLike(term.toUpperCase(Locale.ROOT)) + "%");
            }
        }
        if (filter.aboutVendor()) {
            where.append(" and r.state = 'SUBMITTED' and r.vendor_id is not null and r.vendor_id <> ''");
        }
        if (filter.vendorStatus() != null) {
            // the vendor's status is its own text: matched as written, ignoring case
            where.append(" and lower(").append(VendorColumns.STATUS).append(") = ?");
            arguments.add(filter.vendorStatus().strip().toLowerCase(Locale.ROOT));
        }
        if (filter.stalled()) {
            List<String> finished = new ArrayList<>();
            this.tracking.completedStatuses().forEach((status) -> finished.add(status.strip().toLowerCase(Locale.ROOT)));
            this.tracking.closedStatuses().forEach((status) -> finished.add(status.strip().toLowerCase(Locale.ROOT)));
            where.append(" and ").append(VendorColumns.UNCHANGED_SINCE).append(" <= ?");
            arguments.add(Timestamp.from(this.clock.instant().minus(this.tracking.stalledAfter())));
            if (!finished.isEmpty()) {
                where.append(" and lower(coalesce(").append(VendorColumns.STATUS).append(", '')) not in (")
                    .append(String.join(", ", finished.stream().map((status) -> "?").toList()))
                    .append(')');
                arguments.addAll(finished);
            }
        }
        return where.toString();
    }

    private static String escapeLike(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * One page of rows.
     *
     * @param runId the run
     * @param page the page number, from 0
     * @param size rows per page
     * @param total rows that match, on all pages
     * @param rows this page's rows
     */
    record RowPage(long runId, int page, int size, long total, List<RowView> rows) {

        public int pages() {
            return (int) Math.max(1, (this.total + this.size - 1) / this.size);
        }

        public boolean hasNext() {
            return (long) (this.page + 1) * this.size < this.total;
        }

        public boolean hasPrevious() {
            return this.page > 0;
        }

    }

    /**
     * Which rows to show: by our outcome, a search, and what the vendor says.
     *
     * @param outcomes our outcomes (none: all)
     * @param search a serial number or e-mail address, or part of one
     * @param vendorStatus the vendor's status of the row's action, ignoring case (null: any)
     * @param stalled only actions whose vendor state has not changed for
     * {@code offboarding.tracking.stalled-after}
     */
    record RowFilter(Set<RowState> outcomes, String search, String vendorStatus, boolean stalled) {

        RowFilter {
            vendorStatus = (vendorStatus == null || vendorStatus.isBlank()) ? null : vendorStatus.strip();
        }

        static RowFilter of(Set<RowState> outcomes, String search) {
            return new RowFilter(outcomes, search, null, false);
        }

        boolean aboutVendor() {
            return this.vendorStatus != null || this.stalled;
        }

    }

    /** The vendor's columns as SQL over {@code offboarding_row r} and {@code action_tracking t}. */
    private static final class VendorColumns {

        /** The latest status: tracked, else the one the create response gave. */
        static final String STATUS = "coalesce(t.vendor_status, r.vendor_status)";

        /** The clock of "stalled", as {@link dev.bulkoffboarding.tracking.TrackedAction#unchangedSince()}. */
        static final String UNCHANGED_SINCE = "coalesce(t.vendor_updated_at, t.changed_at, r.finished_at)";

    }

    /**
     * A row as the review shows it: no personal data beyond the serial number.
     *
     * @param vendorStatus the vendor's latest status of the action (from the create response until
     * the first refresh)
     * @param trackingCode the shipment's tracking code, once the vendor gives one
     * @param trackingLink the vendor's tracking link, as sent (see {@link #safeTrackingLink()})
     * @param wipeCompleted whether the vendor says the wipe is done (null: not told yet)
     * @param updatedAt the vendor's {@code updated_at} of the state we have
     * @param lastCheckedAt when we last asked the vendor or heard from it (null: never)
     * @param unchangedSince since when the vendor's state is what it is (submitted actions only)
     * @param stalled unchanged for {@code offboarding.tracking.stalled-after} and not finished
     */
    @tools.jackson.databind.annotation.JsonNaming(tools.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RowView(long line, String serialNumber, String actionType, String outcome, boolean wipe, String actionId,
            String vendorId, String vendorStatus, Integer httpStatus, int attempts, String errorCode,
            String errorMessage, Long relatedRunId, String trackingCode, String trackingLink, Boolean wipeCompleted,
            Instant updatedAt, Instant lastCheckedAt, Instant unchangedSince, boolean stalled) {

        /**
         * The tracking link when it is safe to put in a page: an absolute http or https address
         * with a host. A {@code javascript:} or {@code data:} text from the vendor is no link.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String safeTrackingLink() {
            return TrackingLinks.safe(this.trackingLink).orElse(null);
        }

        public String message() {
            if (this.errorCode != null && this.errorMessage != null) {
                return this.errorCode + ": " + this.errorMessage;
            }
            return (this.errorMessage != null) ? this.errorMessage : (this.errorCode != null) ? this.errorCode : "";
        }

    }

}
