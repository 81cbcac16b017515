package dev.bulkoffboarding.rows;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The row ledger: every CSV record of every run, with its state. Writes that must be durable
 * before a request leaves (or right after its answer) run in their own transaction, whatever the
 * caller's transaction is doing.
 */
@Repository
public class Ledger {

    private static final String ROW_COLUMNS = "run_id, line_number, serial_number, serial_key, action_type, state, "
            + "wipe, has_recipient, request_body, source_cells, idempotency_key, action_id, vendor_id, vendor_status, "
            + "http_status, attempts, error_code, error_message, related_run_id, submitting_at, finished_at, "
            + "external_device, notice, external_request_body";

    /** The same columns without the two large ones. */
    private static final String RESULT_COLUMNS = ROW_COLUMNS
        .replace("external_request_body", "null as external_request_body")
        .replace(" request_body", " null as request_body")
        .replace("source_cells", "null as source_cells");

    private static final int FETCH_SIZE = 1000;

    /** Column lengths of offboarding_row (V2) for what the vendor sends back. */
    static final int ID_LENGTH = 100;

    static final int VENDOR_STATUS_LENGTH = 64;

    static final int ERROR_CODE_LENGTH = 100;

    static final int ERROR_MESSAGE_LENGTH = 4000;

    private static final RowMapper<LedgerRow> ROW_MAPPER = Ledger::mapRow;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate ownTransaction;

    private final TransactionTemplate readTransaction;

    public Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readTransaction = new TransactionTemplate(transactionManager);
        this.readTransaction.setReadOnly(true);
    }

    // ---- runs

    public void createRunIfAbsent(RunRecord run) {
        this.ownTransaction.executeWithoutResult((status) -> {
            Integer existing = this.jdbc.queryForObject("select count(*) from offboarding_run where id = ?",
                    Integer.class, run.id());
            if (existing != null && existing == 0) {
                this.jdbc.update("insert into offboarding_run (id, kind, file_name, file_sha256, label, "
                        + "trigger_source, sandbox, headers, total_records, gated_at, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", run.id(), run.kind().name(), run.fileName(),
                        run.fileSha256(), run.label(), run.trigger(), run.sandbox(), run.headers(),
                        run.totalRecords(), timestamp(run.gatedAt()), timestamp(run.createdAt()));
            }
        });
    }

    public Optional<RunRecord> findRun(long runId) {
        return this.jdbc.query("select * from offboarding_run where id = ?", Ledger::mapRun, runId).stream().findFirst();
    }

    /**
     * The latest run (kind RUN) of this content and label: what a new start of the same file
     * would resume or refuse.
     * @param fileSha256 the file's SHA-256
     * @param label the run's label, or null for none
     */
    public Optional<Long> latestRunOf(String fileSha256, String label) {
        return this.jdbc.queryForList("select id from offboarding_run where kind = 'RUN' and file_sha256 = ? and "
                + "coalesce(label, '') = ? order by id desc", Long.class, fileSha256, (label != null) ? label : "")
            .stream()
            .findFirst();
    }

    /** Runs, newest first. */
    public List<RunRecord> runs(RunRecord.RunKind kind, int limit) {
        return this.jdbc.query("select * from offboarding_run where kind = ? order by created_at desc, id desc "
                + "fetch first " + limit + " rows only", Ledger::mapRun, kind.name());
    }

    /** Runs (of any kind) created before this instant, oldest first. */
    public List<RunRecord> runsCreatedBefore(Instant before) {
        return this.jdbc.query("select * from offboarding_run where created_at < ? order by created_at, id",
                Ledger::mapRun, timestamp(before));
    }

    /** Deletes a run's rows and its record: what retention removes. */
    public void deleteRun(long runId) {
        this.jdbc.update("delete from device_claim where run_id = ?", runId);
        this.jdbc.update("delete from action_status_event where run_id = ?", runId);
        this.jdbc.update("delete from action_tracking where run_id = ?", runId);
        this.jdbc.update("delete from offboarding_row where run_id = ?", runId);
        this.jdbc.update("delete from offboarding_run where id = ?", runId);
    }

    public void recordStaged(long runId, String headers, long totalRecords) {
        this.jdbc.update("update offboarding_run set headers = ?, total_records = ? where id = ?", headers,
                totalRecords, runId);
    }

    public void markGated(long runId, Instant at) {
        this.jdbc.update("update offboarding_run set gated_at = ? where id = ?", timestamp(at), runId);
    }

    // ---- staging

    /** Forgets what an interrupted stage step wrote, so staging can start over. */
    public void deleteRows(long runId) {
        this.jdbc.update("delete from offboarding_row where run_id = ?", runId);
    }

    public void insert(List<LedgerRow> rows) {
        this.jdbc.batchUpdate("insert into offboarding_row (run_id, line_number, serial_number, serial_key, "
                + "action_type, state, wipe, has_recipient, request_body, source_cells, idempotency_key, "
                + "error_message, external_request_body) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows,
                rows.size(), (ps, row) -> {
                    ps.setLong(1, row.runId());
                    ps.setLong(2, row.line());
                    ps.setString(3, storable(row.serialNumber()));
                    ps.setString(4, storable(row.serialKey()));
                    ps.setString(5, storable(row.actionType()));
                    ps.setString(6, row.state().name());
                    if (row.wipe() == null) {
                        ps.setNull(7, Types.BOOLEAN);
                    }
                    else {
                        ps.setBoolean(7, row.wipe());
                    }
                    ps.setBoolean(8, row.hasRecipient());
                    ps.setString(9, storable(row.requestBody()));
                    ps.setString(10, storable(row.sourceCells()));
                    ps.setString(11, storable(row.idempotencyKey()));
                    ps.setString(12, storable(row.errorMessage()));
                    ps.setString(13, storable(row.externalRequestBody()));
                });
    }

    // ---- gate

    /**
     * The rows of a run that name a device and an action, streamed in the order of the device
     * (serial key), then of the line: the whole-file checks read them in one pass, whatever the
     * size of the file, without holding them in memory.
     */
    public void forEachDeviceRow(long runId, Consumer<DeviceRow> consumer) {
        stream("select line_number, serial_key, action_type, state from offboarding_row where run_id = ? "
                + "and serial_key is not null and action_type is not null order by serial_key, line_number",
                (rs) -> consumer.accept(new DeviceRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        RowState.valueOf(rs.getString(4)))),
                runId);
    }

    /** A row's device, action and state, as the whole-file checks see it. */
    public record DeviceRow(long line, String serialKey, String actionType, RowState state) {
    }

    /** Marks every row of these devices INVALID (appending the reason to invalid rows). */
    public void markDevicesInvalid(long runId, Map<String, String> reasonBySerialKey) {
        this.jdbc.batchUpdate("update offboarding_row set state = 'INVALID', error_message = case when error_message "
                + "is null then ? else error_message || '; ' || ? end where run_id = ? and serial_key = ? "
                + "and state in ('VALID', 'INVALID')", reasonBySerialKey.entrySet(), 1000, (ps, entry) -> {
                    ps.setString(1, storable(entry.getValue()));
                    ps.setString(2, storable(entry.getValue()));
                    ps.setLong(3, runId);
                    ps.setString(4, entry.getKey());
                });
    }

    /** Marks these VALID rows DUPLICATE of an earlier line with the same device and action. */
    public void markDuplicates(long runId, Collection<Duplicate> duplicates) {
        this.jdbc.batchUpdate("update offboarding_row set state = 'DUPLICATE', error_message = ? where run_id = ? "
                + "and line_number = ? and state = 'VALID'", duplicates, 1000, (ps, duplicate) -> {
                    ps.setString(1, "same device and action as line " + duplicate.firstLine());
                    ps.setLong(2, runId);
                    ps.setLong(3, duplicate.line());
                });
    }

    /** A row that repeats the device and action of an earlier row. */
    public record Duplicate(long line, long firstLine) {
    }

    /**
     * VALID rows whose device and action an earlier run submitted since {@code since}: the earlier
     * run and action id, newest first per line.
     */
    public void forEachAlreadySubmitted(long runId, Instant since, Consumer<PreviousSubmission> consumer) {
        this.jdbc.query("select r.line_number, p.run_id, p.action_id, p.finished_at from offboarding_row r "
                + "join offboarding_row p on p.serial_key = r.serial_key and p.action_type = r.action_type "
                + "and p.state = 'SUBMITTED' and p.run_id <> r.run_id and p.finished_at >= ? "
                // a sandbox run never hides a real one, and the other way round
                + "join offboarding_run pr on pr.id = p.run_id join offboarding_run rr on rr.id = r.run_id "
                + "and rr.sandbox = pr.sandbox "
                + "where r.run_id = ? and r.state = 'VALID' order by r.line_number, p.finished_at desc",
                (ResultSet rs) -> {
                    consumer.accept(new PreviousSubmission(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }, timestamp(since), runId);
    }

    public void markAlreadySubmitted(long runId, Collection<PreviousSubmission> previous) {
        this.jdbc.batchUpdate("update offboarding_row set state = 'ALREADY_SUBMITTED', related_run_id = ?, "
                + "action_id = ?, error_message = ? where run_id = ? and line_number = ? and state = 'VALID'",
                previous, 1000, (ps, p) -> {
                    ps.setLong(1, p.runId());
                    ps.setString(2, p.actionId());
                    ps.setString(3, "already submitted by run " + p.runId() + " (action " + p.actionId() + ")");
                    ps.setLong(4, runId);
                    ps.setLong(5, p.line());
                });
    }

    /** A row of this run that an earlier run already submitted. */
    public record PreviousSubmission(long line, long runId, String actionId) {
    }

    public Map<RowState, Long> countByState(long runId) {
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        for (RowState state : RowState.values()) {
            counts.put(state, 0L);
        }
        this.jdbc.query("select state, count(*) from offboarding_row where run_id = ? group by state",
                (ResultSet rs) -> {
                    counts.put(RowState.valueOf(rs.getString(1)), rs.getLong(2));
                }, runId);
        return counts;
    }

    /** The rows a run would still send: how many, how many of them wipe, how many go to a new recipient. */
    public Pending countPending(long runId) {
        long[] counts = new long[3];
        this.jdbc.query("select wipe, has_recipient, count(*) from offboarding_row where run_id = ? and state in ("
                + RowState.sqlList(RowState.PENDING) + ") group by wipe, has_recipient", (ResultSet rs) -> {
                    long count = rs.getLong(3);
                    counts[0] += count;
                    if (rs.getBoolean(1)) {
                        counts[1] += count;
                    }
                    if (rs.getBoolean(2)) {
                        counts[2] += count;
                    }
                }, runId);
        return new Pending(counts[0], counts[1], counts[2]);
    }

    /** What a run would still send (see {@link #countPending(long)}). */
    public record Pending(long rows, long wipes, long newRecipients) {
    }

    /**
     * A run's rows counted in one pass by state, action type (of rows that are not INVALID or
     * DUPLICATE), wipe and new recipient: what a summary needs.
     */
    public List<RowCount> countRows(long runId) {
        return this.jdbc.query("select state, action_type, wipe, has_recipient, count(*) from (select state, "
                + "case when state in ('INVALID', 'DUPLICATE') then null else action_type end as action_type, "
                + "coalesce(wipe, false) as wipe, has_recipient from offboarding_row where run_id = ?) r "
                + "group by state, action_type, wipe, has_recipient",
                (rs, rowNum) -> new RowCount(RowState.valueOf(rs.getString(1)), rs.getString(2), rs.getBoolean(3),
                        rs.getBoolean(4), rs.getLong(5)),
                runId);
    }

    /** How many rows of a run share a state, an action type, a wipe flag and a new-recipient flag. */
    public record RowCount(RowState state, String actionType, boolean wipe, boolean newRecipient, long count) {
    }

    // ---- preflight

    /**
     * The next VALID rows of a run whose request never left, after {@code afterLine}, in line order: what a preflight
     * asks the vendor about. A row that was sent before may have created the very action a
     * preflight would find, so it is left to reconciliation.
     */
    public List<LedgerRow> unsentValidAfter(long runId, long afterLine, int limit) {
        return this.jdbc.query("select " + ROW_COLUMNS + " from offboarding_row where run_id = ? and line_number > ? "
                + "and state = 'VALID' and last_sent_at is null order by line_number fetch first " + limit
                + " rows only", ROW_MAPPER, runId, afterLine);
    }

    /** Rows of a run with a warning (a notice), in line order, streamed. */
    public void forEachNotice(long runId, Consumer<LedgerRow> consumer) {
        stream("select " + RESULT_COLUMNS + " from offboarding_row where run_id = ? and notice is not null "
                + "order by line_number", (rs) -> consumer.accept(mapRow(rs, 0)), runId);
    }

    /** Rows a preflight stops: NOT_IN_INVENTORY or OPEN_ACTION_EXISTS, with the vendor's action if any. */
    public void markPreflightOutcomes(long runId, Collection<PreflightOutcome> outcomes) {
        this.jdbc.batchUpdate("update offboarding_row set state = ?, action_id = ?, vendor_status = ?, error_code = null, "
                + "error_message = ? where run_id = ? and line_number = ? and state = 'VALID'", outcomes, 1000,
                (ps, outcome) -> {
                    ps.setString(1, outcome.state().name());
                    ps.setString(2, vendorText(outcome.actionId(), ID_LENGTH));
                    ps.setString(3, vendorText(outcome.vendorStatus(), VENDOR_STATUS_LENGTH));
                    ps.setString(4, vendorText(outcome.message(), ERROR_MESSAGE_LENGTH));
                    ps.setLong(5, runId);
                    ps.setLong(6, outcome.line());
                });
    }

    /**
     * What a preflight decided for a row it stops. The vendor's action id is only shown, never
     * recorded as {@code vendor_id}: that column means "an action of ours".
     */
    public record PreflightOutcome(long line, RowState state, String actionId, String vendorStatus, String message) {
    }

    /**
     * These VALID rows go to the external-device endpoint: their external-device request (staged
     * from the file) becomes the body they send.
     */
    public void markExternalDevices(long runId, Collection<Long> lines) {
        this.jdbc.batchUpdate("update offboarding_row set external_device = true, request_body = external_request_body "
                + "where run_id = ? and line_number = ? and state = 'VALID' and external_request_body is not null",
                lines, 1000, (ps, line) -> {
                    ps.setLong(1, runId);
                    ps.setLong(2, line);
                });
    }

    /** Warnings that do not stop these rows (by line), shown with their outcome in the reports. */
    public void recordNotices(long runId, Map<Long, String> noticeByLine) {
        this.jdbc.batchUpdate("update offboarding_row set notice = ? where run_id = ? and line_number = ?",
                noticeByLine.entrySet(), 1000, (ps, entry) -> {
                    ps.setString(1, vendorText(entry.getValue(), ERROR_MESSAGE_LENGTH));
                    ps.setLong(2, runId);
                    ps.setLong(3, entry.getKey());
                });
    }

    // ---- submit

    /** The next rows a submit step still has to work on, after {@code afterLine}, in line order. */
    public List<LedgerRow> pendingAfter(long runId, long afterLine, int limit) {
        return this.jdbc.query("select " + ROW_COLUMNS + " from offboarding_row where run_id = ? and line_number > ? "
                + "and state in (" + RowState.sqlList(RowState.PENDING) + ") order by line_number fetch first " + limit
                + " rows only", ROW_MAPPER, runId, afterLine);
    }

    /**
     * Vendor ids already recorded for these devices (serial keys), by serial key and action type:
     * an action that belongs to another row must never be taken for a new one by reconciliation.
     */
    public Map<String, Set<String>> knownVendorIds(Collection<String> serialKeys) {
        Map<String, Set<String>> known = new HashMap<>();
        if (serialKeys.isEmpty()) {
            return known;
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(serialKeys.size(), "?"));
        this.jdbc.query("select serial_key, action_type, vendor_id from offboarding_row where vendor_id is not null "
                + "and serial_key in (" + placeholders + ")", (ResultSet rs) -> {
                    known.computeIfAbsent(rs.getString(1) + "|" + rs.getString(2), (key) -> new HashSet<>())
                        .add(rs.getString(3));
                }, serialKeys.toArray());
        return known;
    }

    /**
     * Write-ahead record that a row's request is about to leave, committed before it does: a
     * restart then knows that the vendor may have it, and since when to wait before looking.
     */
    public void recordSent(long runId, long line, Instant at) {
        this.ownTransaction.executeWithoutResult((status) -> this.jdbc.update(
                "update offboarding_row set last_sent_at = ? where run_id = ? and line_number = ?", timestamp(at),
                runId, line));
    }

    /** When these rows' requests last left, by line; rows never sent are absent. */
    public Map<Long, Instant> lastSentAt(long runId, Collection<Long> lines) {
        Map<Long, Instant> sent = new HashMap<>();
        if (lines.isEmpty()) {
            return sent;
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(lines.size(), "?"));
        Object[] arguments = new Object[lines.size() + 1];
        arguments[0] = runId;
        int i = 1;
        for (Long line : lines) {
            arguments[i++] = line;
        }
        this.jdbc.query("select line_number, last_sent_at from offboarding_row where run_id = ? and last_sent_at "
                + "is not null and line_number in (" + placeholders + ")", (ResultSet rs) -> {
                    sent.put(rs.getLong(1), instant(rs.getTimestamp(2)));
                }, arguments);
        return sent;
    }

    /**
     * Lines of a run that are SUBMITTED without the vendor's id, at most {@code limit}, in line
     * order: there must be none, since a 2xx without an id is not a submission.
     */
    public List<Long> submittedWithoutVendorId(long runId, int limit) {
        return this.jdbc.queryForList("select line_number from offboarding_row where run_id = ? and state = 'SUBMITTED' "
                + "and (vendor_id is null or vendor_id = '') order by line_number fetch first " + limit + " rows only",
                Long.class, runId);
    }

    /** Records the outcome of sending these rows, in a transaction of its own. */
    public void recordOutcomes(long runId, Collection<RowOutcome> outcomes, Instant now) {
        if (outcomes.isEmpty()) {
            return;
        }
        this.ownTransaction.executeWithoutResult((status) -> this.jdbc.batchUpdate(
                "update offboarding_row set state = ?, vendor_id = ?, action_id = ?, vendor_status = ?, "
                        + "http_status = ?, attempts = attempts + ?, error_code = ?, error_message = ?, "
                        + "finished_at = ? where run_id = ? and line_number = ?",
                outcomes, 1000, (PreparedStatement ps, RowOutcome outcome) -> {
                    ps.setString(1, outcome.state().name());
                    ps.setString(2, vendorText(outcome.vendorId(), ID_LENGTH));
                    ps.setString(3, vendorText(outcome.actionId(), ID_LENGTH));
                    ps.setString(4, vendorText(outcome.vendorStatus(), VENDOR_STATUS_LENGTH));
                    if (outcome.httpStatus() == null) {
                        ps.setNull(5, Types.INTEGER);
                    }
                    else {
                        ps.setInt(5, outcome.httpStatus());
                    }
                    ps.setInt(6, outcome.attempts());
                    ps.setString(7, vendorText(outcome.errorCode(), ERROR_CODE_LENGTH));
                    ps.setString(8, vendorText(outcome.errorMessage(), ERROR_MESSAGE_LENGTH));
                    ps.setTimestamp(9, timestamp(now));
                    ps.setLong(10, runId);
                    ps.setLong(11, outcome.line());
                }));
    }

    // ---- reports

    /** Every row of a run, in line order, streamed. */
    public void forEachRow(long runId, Consumer<LedgerRow> consumer) {
        stream("select " + ROW_COLUMNS + " from offboarding_row where run_id = ? order by line_number",
                (rs) -> consumer.accept(mapRow(rs, 0)), runId);
    }

    /**
     * Every row of a run, in line order, streamed, without the request body and the source cells:
     * what results.csv shows.
     */
    public void forEachResult(long runId, Consumer<LedgerRow> consumer) {
        stream("select " + RESULT_COLUMNS + " from offboarding_row where run_id = ? order by line_number",
                (rs) -> consumer.accept(mapRow(rs, 0)), runId);
    }

    /** Rows of a run in some states, in line order, streamed, with every column. */
    public void forEachRow(long runId, Collection<RowState> states, Consumer<LedgerRow> consumer) {
        String in = RowState.sqlList(Set.copyOf(states));
        stream("select " + ROW_COLUMNS + " from offboarding_row where run_id = ? and state in (" + in
                + ") order by line_number", (rs) -> consumer.accept(mapRow(rs, 0)), runId);
    }

    /**
     * Runs a query whose rows are handed over one at a time: in a read-only transaction with a
     * fetch size, so that PostgreSQL's driver uses a cursor instead of loading every row first.
     */
    private void stream(String sql, RowConsumer consumer, Object... arguments) {
        this.readTransaction.executeWithoutResult((status) -> this.jdbc.query((connection) -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            statement.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            return statement;
        }, (ResultSet rs) -> {
            consumer.accept(rs);
        }));
    }

    @FunctionalInterface
    private interface RowConsumer {

        void accept(ResultSet rs) throws SQLException;

    }

    // ---- mapping

    private static LedgerRow mapRow(ResultSet rs, int rowNum) throws SQLException {
        Boolean wipe = rs.getBoolean("wipe");
        if (rs.wasNull()) {
            wipe = null;
        }
        Integer httpStatus = rs.getInt("http_status");
        if (rs.wasNull()) {
            httpStatus = null;
        }
        Long relatedRunId = rs.getLong("related_run_id");
        if (rs.wasNull()) {
            relatedRunId = null;
        }
        return new LedgerRow(rs.getLong("run_id"), rs.getLong("line_number"), rs.getString("serial_number"),
                rs.getString("serial_key"), rs.getString("action_type"), RowState.valueOf(rs.getString("state")),
                wipe, rs.getBoolean("has_recipient"), rs.getString("request_body"), rs.getString("source_cells"),
                rs.getString("idempotency_key"), rs.getString("action_id"), rs.getString("vendor_id"),
                rs.getString("vendor_status"), httpStatus, rs.getInt("attempts"), rs.getString("error_code"),
                rs.getString("error_message"), relatedRunId, instant(rs.getTimestamp("submitting_at")),
                instant(rs.getTimestamp("finished_at")), rs.getBoolean("external_device"), rs.getString("notice"),
                rs.getString("external_request_body"));
    }

    private static RunRecord mapRun(ResultSet rs, int rowNum) throws SQLException {
        Long total = rs.getLong("total_records");
        if (rs.wasNull()) {
            total = null;
        }
        return new RunRecord(rs.getLong("id"), RunRecord.RunKind.valueOf(rs.getString("kind")),
                rs.getString("file_name"), rs.getString("file_sha256"), rs.getString("label"),
                rs.getString("trigger_source"), rs.getBoolean("sandbox"), rs.getString("headers"), total,
                instant(rs.getTimestamp("gated_at")), instant(rs.getTimestamp("created_at")));
    }

    /**
     * PostgreSQL text cannot hold U+0000, H2's can: both store U+FFFD instead, so that a NUL in a
     * cell (or in a vendor's message) makes the same ledger on either rather than failing the
     * stage step on PostgreSQL. RowValidator rejects such rows; their exact cells stay in
     * source_cells, where JSON escapes the NUL.
     */
    static String storable(String text) {
        return (text == null || text.indexOf('\u0000') < 0) ? text : text.replace('\u0000', '\uFFFD');
    }

    /**
     * Text the vendor chose (a code, a status, an id, a message), made to fit its column (V2): the
     * vendor documents no lengths, and a value one character too long must not fail the chunk that
     * records it, which would leave rows the vendor already answered SUBMITTING. A cut value ends
     * with '…'; a surrogate pair is never split, so the value fits whether the database counts
     * UTF-16 units (H2) or characters (PostgreSQL).
     */
    static String vendorText(String text, int columnLength) {
        String storable = storable(text);
        if (storable == null || storable.length() <= columnLength) {
            return storable;
        }
        int end = columnLength - 1;
        if (Character.isHighSurrogate(storable.charAt(end - 1))) {
            end--;
        }
        return storable.substring(0, end) + "…";
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

}
