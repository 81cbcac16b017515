package dev.bulkoffboarding.rows;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One device, one action: the claims that let exactly one row, of all runs in all processes, send
 * a device action of one type for one device. A claim is a row of {@code device_claim}, whose
 * primary key (device, action type, sandbox) the database enforces: two transactions cannot both
 * take it. It is taken in the same transaction that marks the row SUBMITTING, right before the
 * request leaves, so no check can go stale between deciding and sending.
 *
 * <p>Whether a claim still holds is read from the row that holds it: while that row is pending
 * (SUBMITTING, FAILED) or UNCONFIRMED it does; once SUBMITTED, until the de-duplication window has
 * passed (unless the new run overrides de-duplication on purpose); once REJECTED, or when its run
 * was pruned, no longer. A person may also release one ({@link #release}).
 */
@Repository
public class DeviceClaims {

    /** Concurrent claimants of one device retry this many times before giving up on the chunk. */
    private static final int MAX_TRIES = 5;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate ownTransaction;

    public DeviceClaims(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Claims the devices of these rows and marks the rows that got theirs SUBMITTING (committed
     * before this returns). A row whose device another row holds is not sent: it becomes HELD (that
     * row is still being handled) or ALREADY_SUBMITTED (that row submitted it within the window).
     *
     * @param runId the run the rows belong to
     * @param sandbox whether the run talks to the sandbox (sandbox and real claims are apart)
     * @param submittedSince a SUBMITTED claim newer than this still holds; {@code null} overrides
     *     every SUBMITTED claim ({@code --no-dedup}), never a pending one
     * @param rows the rows about to be sent
     * @param now when they are claimed
     * @return the rows that may be sent, and what happened to the others
     */
    public Result claim(long runId, boolean sandbox, Instant submittedSince, List<LedgerRow> rows, Instant now) {
        List<LedgerRow> claimed = new ArrayList<>(rows.size());
        List<Refusal> refused = new ArrayList<>();
        for (LedgerRow row : rows) {
            Refusal refusal = claimOne(runId, sandbox, submittedSince, row, now);
            if (refusal == null) {
                claimed.add(row);
            }
            else {
                refused.add(refusal);
            }
        }
        return new Result(claimed, refused);
    }

    private Refusal claimOne(long runId, boolean sandbox, Instant submittedSince, LedgerRow row, Instant now) {
        for (int attempt = 1;; attempt++) {
            try {
                return this.ownTransaction.execute((status) -> decide(runId, sandbox, submittedSince, row, now));
            }
            catch (DuplicateKeyException | TransientDataAccessException ex) {
                // Another process took or changed this claim at the same moment: decide again on what
                // the database holds now.
                if (attempt >= MAX_TRIES) {
                    throw ex;
                }
            }
        }
    }

    private Refusal decide(long runId, boolean sandbox, Instant submittedSince, LedgerRow row, Instant now) {
        if (row.serialKey() == null || row.actionType() == null) {
            // only valid rows are sent, and they always name a device and an action
            markSubmitting(runId, row.line(), now);
            return null;
        }
        List<Holder> holders = this.jdbc.query("select run_id, line_number from device_claim where serial_key = ? "
                + "and action_type = ? and sandbox = ? for update",
                (rs, n) -> new Holder(rs.getLong(1), rs.getLong(2)), row.serialKey(), row.actionType(), sandbox);
        if (holders.isEmpty()) {
            this.jdbc.update("insert into device_claim (serial_key, action_type, sandbox, run_id, line_number, "
                    + "claimed_at) values (?, ?, ?, ?, ?, ?)", row.serialKey(), row.actionType(), sandbox, runId,
                    row.line(), Timestamp.from(now));
            markSubmitting(runId, row.line(), now);
            return null;
        }
        Holder holder = holders.get(0);
        if (holder.runId() == runId && holder.line() == row.line()) {
            markSubmitting(runId, row.line(), now);
            return null;
        }
        HolderRow held = this.jdbc
            .query("select state, finished_at, action_id, serial_number from offboarding_row where run_id = ? "
                    + "and line_number = ?", (rs, n) -> new HolderRow(RowState.valueOf(rs.getString(1)),
                            instant(rs.getTimestamp(2)), rs.getString(3), rs.getString(4)),
                    holder.runId(), holder.line())
            .stream()
            .findFirst()
            .orElse(null);
        Refusal refusal = refusal(runId, row, holder, held, submittedSince);
        if (refusal != null) {
            record(runId, refusal);
            return refusal;
        }
        // The holder no longer holds: take the claim over, but only from that very holder. Another
        // process deciding the same at the same moment finds its update changing nothing.
        int taken = this.jdbc.update("update device_claim set run_id = ?, line_number = ?, claimed_at = ? "
                + "where serial_key = ? and action_type = ? and sandbox = ? and run_id = ? and line_number = ?", runId,
                row.line(), Timestamp.from(now), row.serialKey(), row.actionType(), sandbox, holder.runId(),
                holder.line());
        if (taken != 1) {
            throw new ConcurrencyFailureException("the claim of " + row.serialKey() + " changed hands");
        }
        markSubmitting(runId, row.line(), now);
        return null;
    }

    /** Why this row may not take the claim its device's holder has, or {@code null} if it may. */
    private static Refusal refusal(long runId, LedgerRow row, Holder holder, HolderRow held, Instant submittedSince) {
        if (held == null) {
            return null; // the holder's run was pruned
        }
        String restart = (holder.runId() == runId) ? "this run (line " + holder.line() + ")"
                : "run " + holder.runId();
        if (held.state() == RowState.SUBMITTING || held.state() == RowState.FAILED) {
            String message = (holder.runId() == runId)
                    ? "line " + holder.line() + " of this run is handling this device and action"
                    : "run " + holder.runId() + " is still handling this device: finish run " + holder.runId()
                            + " (`restart " + holder.runId() + "`) first";
            return new Refusal(row, RowState.HELD, holder.runId(), null, message);
        }
        if (held.state() == RowState.UNCONFIRMED) {
            return new Refusal(row, RowState.HELD, holder.runId(), null, restart + " got an answer without an id "
                    + "for this device: check it in Quipteams, then `devices release " + row.serialNumber()
                    + " --action " + row.actionType() + "` if no action exists");
        }
        if (held.state() == RowState.SUBMITTED && submittedSince != null
                && (held.finishedAt() == null || !held.finishedAt().isBefore(submittedSince))) {
            return new Refusal(row, RowState.ALREADY_SUBMITTED, holder.runId(), held.actionId(),
                    "already submitted by run " + holder.runId() + " (action " + held.actionId() + ")");
        }
        return null;
    }

    private void record(long runId, Refusal refusal) {
        this.jdbc.update("update offboarding_row set state = ?, related_run_id = ?, action_id = coalesce(?, action_id), "
                + "error_message = ? where run_id = ? and line_number = ?", refusal.state().name(),
                refusal.holderRunId(), refusal.actionId(), refusal.message(), runId, refusal.row().line());
    }

    private void markSubmitting(long runId, long line, Instant now) {
        // the first attempt's time is kept: reconciliation looks for actions created since then
        this.jdbc.update("update offboarding_row set submitting_at = coalesce(submitting_at, ?), "
                + "related_run_id = case when state = 'HELD' then null else related_run_id end, "
                + "error_message = case when state = 'HELD' then null else error_message end, "
                + "state = 'SUBMITTING' where run_id = ? and line_number = ?", Timestamp.from(now), runId, line);
    }

    /**
     * Puts rows whose request never left back to VALID and gives up their claims: nothing was sent,
     * so another run may send these devices.
     */
    public void releaseUnsent(long runId, Collection<Long> lines) {
        this.ownTransaction.executeWithoutResult((status) -> {
            for (Long line : lines) {
                this.jdbc.update("delete from device_claim where run_id = ? and line_number = ?", runId, line);
                this.jdbc.update("update offboarding_row set state = 'VALID', submitting_at = null where run_id = ? "
                        + "and line_number = ? and state = 'SUBMITTING'", runId, line);
            }
        });
    }

    /**
     * A person's release of one device's claim, whatever holds it.
     *
     * @return the claim that was released, if there was one
     */
    public Optional<Claim> release(String serialKey, String actionType, boolean sandbox) {
        return this.ownTransaction.execute((status) -> {
            Optional<Claim> claim = find(serialKey, actionType, sandbox);
            claim.ifPresent((held) -> this.jdbc.update("delete from device_claim where serial_key = ? and "
                    + "action_type = ? and sandbox = ? and run_id = ? and line_number = ?", serialKey, actionType,
                    sandbox, held.runId(), held.line()));
            return claim;
        });
    }

    /** The claim of one device and action type, with the state of the row that holds it. */
    public Optional<Claim> find(String serialKey, String actionType, boolean sandbox) {
        return this.jdbc.query(CLAIM_QUERY + " where c.serial_key = ? and c.action_type = ? and c.sandbox = ?",
                DeviceClaims::mapClaim, serialKey, actionType, sandbox).stream().findFirst();
    }

    /**
     * Claims that hold their device now, oldest first: rows still being handled or unconfirmed,
     * and submissions newer than {@code submittedSince}.
     */
    public List<Claim> holding(Instant submittedSince) {
        return this.jdbc.query(CLAIM_QUERY + " where r.state in ('SUBMITTING', 'FAILED', 'UNCONFIRMED') "
                + "or (r.state = 'SUBMITTED' and r.finished_at >= ?) order by c.claimed_at, c.serial_key",
                DeviceClaims::mapClaim, Timestamp.from(submittedSince));
    }

    /** Forgets a run's claims: retention deletes its rows. */
    public void deleteRun(long runId) {
        this.jdbc.update("delete from device_claim where run_id = ?", runId);
    }

    private static final String CLAIM_QUERY = "select c.serial_key, c.action_type, c.sandbox, c.run_id, "
            + "c.line_number, c.claimed_at, r.serial_number, r.state, r.attempts, r.action_id, r.finished_at "
            + "from device_claim c join offboarding_row r on r.run_id = c.run_id and r.line_number = c.line_number";

    private static Claim mapClaim(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
        return new Claim(rs.getString("serial_key"), rs.getString("action_type"), rs.getBoolean("sandbox"),
                rs.getLong("run_id"), rs.getLong("line_number"), instant(rs.getTimestamp("claimed_at")),
                rs.getString("serial_number"), RowState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                rs.getString("action_id"), instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp == null) ? null : timestamp.toInstant();
    }

    /** Who holds a claim. */
    private record Holder(long runId, long line) {
    }

    /** What the holding row says about it. */
    private record HolderRow(RowState state, Instant finishedAt, String actionId, String serialNumber) {
    }

    /**
     * The rows that got their device's claim (now SUBMITTING), and the others.
     *
     * @param claimed rows to send now, in the order given
     * @param refused rows not to send, each HELD or ALREADY_SUBMITTED, already recorded
     */
    public record Result(List<LedgerRow> claimed, List<Refusal> refused) {
    }

    /**
     * A row that did not get its device's claim.
     *
     * @param row the row
     * @param state what it became: HELD or ALREADY_SUBMITTED
     * @param holderRunId the run whose row holds the claim
     * @param actionId the holder's action, when it submitted one
     * @param message what it means and what to do
     */
    public record Refusal(LedgerRow row, RowState state, long holderRunId, String actionId, String message) {
    }

    /**
     * A device's claim and the row holding it.
     *
     * @param serialKey the device, normalised
     * @param actionType the action type
     * @param sandbox whether sandbox runs share it
     * @param runId the run of the holding row
     * @param line the holding row's line
     * @param claimedAt when that row claimed the device
     * @param serialNumber the serial as the holding row spelled it
     * @param state the holding row's state
     * @param attempts POSTs that row has sent
     * @param actionId its vendor action, once submitted
     * @param finishedAt when it last ended an attempt
     */
    public record Claim(String serialKey, String actionType, boolean sandbox, long runId, long line, Instant claimedAt,
            String serialNumber, RowState state, int attempts, String actionId, Instant finishedAt) {

        /** Whether the holding row may have reached the vendor without our knowing its action. */
        public boolean maybeSent() {
            return this.state == RowState.SUBMITTING || this.state == RowState.UNCONFIRMED
                    || (this.state == RowState.FAILED && this.attempts > 0);
        }

    }

}
