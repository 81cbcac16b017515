package dev.bulkoffboarding.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.bulkoffboarding.rows.RowState;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Pages of a run's rows for review: filtered by outcome, searched by serial number or e-mail
 * address, in line order. Pages are read by offset over the (run, line) and (run, state, line)
 * indexes, which stays fast at 100,000 rows; a search scans one run's rows at most.
 */
@Repository
@ConditionalOnWebApplication
class RunQueries {

    /** Outcomes a person has to look at, as one filter. */
    static final Set<RowState> NEEDS_ATTENTION = RowState.NEEDING_ATTENTION;

    private static final String COLUMNS = "line_number, serial_number, action_type, state, wipe, action_id, vendor_id, "
            + "vendor_status, http_status, attempts, error_code, error_message, related_run_id";

    private final JdbcTemplate jdbc;

    RunQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    RowPage rows(long runId, Set<RowState> outcomes, String search, int page, int size) {
        List<Object> arguments = new ArrayList<>();
        String where = where(runId, outcomes, search, arguments);
        // Two queries on purpose: a count over the index, then one page; a window count(*) over ()
        // would read every matching row in full first.
        Long total = this.jdbc.queryForObject("select count(*) from offboarding_row" + where, Long.class,
                arguments.toArray());
        List<Object> pageArguments = new ArrayList<>(arguments);
        pageArguments.add((long) page * size);
        pageArguments.add(size);
        List<RowView> rows = this.jdbc.query("select " + COLUMNS + " from offboarding_row" + where
                + " order by line_number offset ? rows fetch next ? rows only", (rs, rowNum) -> row(rs),
                pageArguments.toArray());
        return new RowPage(runId, page, size, (total == null) ? 0 : total, rows);
    }

    private static RowView row(java.sql.ResultSet rs) throws java.sql.SQLException {
        int status = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : status;
        long related = rs.getLong("related_run_id");
        Long relatedRun = rs.wasNull() ? null : related;
        return new RowView(rs.getLong("line_number"), rs.getString("serial_number"), rs.getString("action_type"),
                rs.getString("state"), rs.getBoolean("wipe"), rs.getString("action_id"), rs.getString("vendor_id"),
                rs.getString("vendor_status"), httpStatus, rs.getInt("attempts"), rs.getString("error_code"),
                rs.getString("error_message"), relatedRun);
    }

    Map<RowState, Long> counts(long runId) {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        this.jdbc.query("select state, count(*) from offboarding_row where run_id = ? group by state", (rs) -> {
            counts.put(RowState.valueOf(rs.getString(1)), rs.getLong(2));
        }, runId);
        return counts;
    }

    private static String where(long runId, Collection<RowState> outcomes, String search, List<Object> arguments) {
        StringBuilder where = new StringBuilder(" where run_id = ?");
        arguments.add(runId);
        if (outcomes != null && !outcomes.isEmpty()) {
            where.append(" and state in (");
            where.append(String.join(", ", outcomes.stream().map((state) -> "?").toList()));
            where.append(')');
            outcomes.forEach((state) -> arguments.add(state.name()));
        }
        if (search != null && !search.isBlank()) {
            String term = search.trim();
            if (term.contains("@")) {
                // an e-mail address: among the record's own cells (the ledger keeps no column for it)
                where.append(" and lower(source_cells) like ? escape '\\'");
                arguments.add("%" + escapeLike(term.toLowerCase(Locale.ROOT)) + "%");
            }
            else {
                // a serial number, or part of one, as the ledger keys it (trimmed, upper case)
                where.append(" and serial_key like ? escape '\\'");
                arguments.add("%" + escapeLike(term.toUpperCase(Locale.ROOT)) + "%");
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

    /** A row as the review shows it: no personal data beyond the serial number. */
    @tools.jackson.databind.annotation.JsonNaming(tools.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RowView(long line, String serialNumber, String actionType, String outcome, boolean wipe, String actionId,
            String vendorId, String vendorStatus, Integer httpStatus, int attempts, String errorCode,
            String errorMessage, Long relatedRunId) {

        public String message() {
            if (this.errorCode != null && this.errorMessage != null) {
                return this.errorCode + ": " + this.errorMessage;
            }
            return (this.errorMessage != null) ? this.errorMessage : (this.errorCode != null) ? this.errorCode : "";
        }

    }

}
