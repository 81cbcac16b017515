package dev.bulkoffboarding.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.bulkoffboarding.quipteams.DeviceActionSubmitter;
import dev.bulkoffboarding.quipteams.SendRecorder;
import dev.bulkoffboarding.quipteams.Submission;
import dev.bulkoffboarding.quipteams.SubmissionResult;
import dev.bulkoffboarding.quipteams.SystemicFailureException;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowOutcome;
import dev.bulkoffboarding.rows.RowState;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Sends one chunk of rows. It does not use Spring Batch's chunk retry or skip: those re-send every
 * item of a chunk, and items the vendor already accepted would be sent twice. Instead each row
 * claims its device and is marked SUBMITTING in one committed transaction before its request
 * leaves (a row whose device another run holds is not sent: see {@link DeviceClaims}), each
 * request is retried on its own by
 * the {@link DeviceActionSubmitter}, every outcome is committed as soon as the chunk's requests
 * are done, and only a systemic failure (key rejected, vendor down) is thrown, which stops the run.
 */
class SubmitWriter implements ItemWriter<LedgerRow> {

    private static final Log logger = LogFactory.getLog(SubmitWriter.class);

    private final Ledger ledger;

    private final DeviceClaims claims;

    private final ClaimPolicy claimPolicy;

    private final DeviceActionSubmitter submitter;

    private final long runId;

    private final int maxRejected;

    private final int maxInFlight;

    private final SubmitProgress progress;

    private final Clock clock;

    /** Rows of this run the vendor rejected so far, in this execution and earlier ones. */
    private long rejected;

    SubmitWriter(Ledger ledger, DeviceClaims claims, ClaimPolicy claimPolicy, DeviceActionSubmitter submitter,
            long runId, int maxRejected, int maxInFlight, SubmitProgress progress, Clock clock, long rejectedBefore) {
        this.ledger = ledger;
        this.claims = claims;
        this.claimPolicy = claimPolicy;
        this.submitter = submitter;
        this.runId = runId;
        this.maxRejected = maxRejected;
        this.maxInFlight = maxInFlight;
        this.progress = progress;
        this.clock = clock;
        this.rejected = rejectedBefore;
    }

    @Override
    public void write(Chunk<? extends LedgerRow> chunk) {
        Instant now = this.clock.instant();
        DeviceClaims.Result claimed = this.claims.claim(this.runId, this.claimPolicy.sandbox(),
                this.claimPolicy.submittedSince(now), List.copyOf(chunk.getItems()), now);
        for (DeviceClaims.Refusal refusal : claimed.refused()) {
            logger.warn("line " + refusal.row().line() + ", serial " + refusal.row().serialNumber() + ": not sent: "
                    + refusal.message());
        }
        List<LedgerRow> rows = claimed.claimed();
        if (rows.isEmpty()) {
            return;
        }

        Map<String, Long> lineByKey = new HashMap<>();
        List<Submission> submissions = new ArrayList<>(rows.size());
        Map<String, Set<String>> known = this.ledger
            .knownVendorIds(rows.stream().map(LedgerRow::serialKey).distinct().toList());
        Map<Long, Instant> lastSent = this.ledger.lastSentAt(this.runId,
                rows.stream().filter((row) -> row.state() != RowState.VALID).map(LedgerRow::line).toList());
        for (LedgerRow row : rows) {
            lineByKey.put(row.idempotencyKey(), row.line());
            // A row whose request left before (left SUBMITTING by a crash, or FAILED after a maybe-sent
            // attempt) may already exist at the vendor: it is reconciled before anything is sent
            // again. The send is recorded before it happens, so a row without a record never left.
            Instant sentAt = lastSent.get(row.line());
            Instant previousAttempt = (sentAt == null) ? null
                    : (row.submittingAt() != null) ? row.submittingAt() : sentAt;
            submissions.add(new Submission(row.idempotencyKey(), row.serialNumber(), row.actionType(),
                    row.requestBody(), previousAttempt,
                    known.getOrDefault(row.serialKey() + "|" + row.actionType(), Set.of()), sentAt,
                    row.externalDevice()));
        }
        // Each send is recorded before it leaves; a row held back (by the slow start, the pacer) and
        // then cancelled by a systemic failure has no record and was never sent.
        Set<String> started = ConcurrentHashMap.newKeySet();
        SendRecorder recorder = (submission, at) -> {
            started.add(submission.idempotencyKey());
            this.ledger.recordSent(this.runId, lineByKey.get(submission.idempotencyKey()), at);
        };

        List<RowOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        SystemicFailureException systemic = null;
        try {
            Flux.fromIterable(submissions)
                .flatMap((submission) -> this.submitter.submit(submission, recorder)
                    .doOnNext((result) -> outcomes.add(outcome(lineByKey.get(submission.idempotencyKey()), result))),
                        this.maxInFlight)
                .blockLast();
        }
        catch (RuntimeException ex) {
            systemic = systemicFailure(ex);
            if (systemic == null) {
                throw ex;
            }
        }
        finally {
            // Rows in flight when a systemic failure struck stay SUBMITTING: a restart reconciles them
            // before sending. Rows whose request never started go back to VALID, untouched.
            this.ledger.recordOutcomes(this.runId, List.copyOf(outcomes), this.clock.instant());
            List<Long> neverStarted = rows.stream()
                .filter((row) -> !lastSent.containsKey(row.line()) && !started.contains(row.idempotencyKey()))
                .map(LedgerRow::line)
                .toList();
            if (systemic != null && !neverStarted.isEmpty()) {
                this.claims.releaseUnsent(this.runId, neverStarted);
            }
            this.progress.record(outcomes);
        }
        if (systemic != null) {
            throw new RunStoppedException(systemic.getMessage(), systemic);
        }
        this.rejected += outcomes.stream().filter((outcome) -> outcome.state() == RowState.REJECTED).count();
        if (this.maxRejected >= 0) {
            if (this.rejected > this.maxRejected) {
                throw new RunStoppedException("Quipteams rejected " + this.rejected + " rows, more than the "
                        + this.maxRejected + " allowed (offboarding.max-rejected): stopping. See failures.csv: "
                        + "is this the right file for this API key?", null);
            }
        }
    }

    /**
     * How a run's rows claim their devices.
     *
     * @param sandbox whether the run talks to the sandbox (its claims are apart from real ones)
     * @param dedupWindow a device submitted within this window stays claimed by its submission;
     *     {@code null} overrides submissions ({@code --no-dedup}), never a claim still pending
     */
    record ClaimPolicy(boolean sandbox, Duration dedupWindow) {

        Instant submittedSince(Instant now) {
            return (this.dedupWindow == null) ? null : now.minus(this.dedupWindow);
        }

    }

    /**
     * The systemic failure that ended the sends, or {@code null}. Two requests can meet one at the
     * same moment (two 401s in flight): Reactor then reports both as one composite exception, which
     * must stop the run the same way.
     */
    static SystemicFailureException systemicFailure(RuntimeException ex) {
        for (Throwable failure : Exceptions.unwrapMultiple(ex)) {
            if (failure instanceof SystemicFailureException systemic) {
                return systemic;
            }
        }
        return null;
    }

    static RowOutcome outcome(long line, SubmissionResult result) {
        if (result instanceof SubmissionResult.Created created) {
            return new RowOutcome(line, RowState.SUBMITTED, created.vendorId(), created.actionId(), created.status(),
                    created.httpStatus(), created.attempts(), null,
                    created.reconciled() ? "created; confirmed by looking it up after an ambiguous failure" : null);
        }
        if (result instanceof SubmissionResult.Rejected rejected) {
            return new RowOutcome(line, RowState.REJECTED, null, null, null, rejected.httpStatus(),
                    rejected.attempts(), rejected.code(), rejected.message());
        }
        if (result instanceof SubmissionResult.Unconfirmed unconfirmed) {
            return new RowOutcome(line, RowState.UNCONFIRMED, null, null, null, unconfirmed.httpStatus(),
                    unconfirmed.attempts(), "NO_ACTION_ID", unconfirmed.reason());
        }
        SubmissionResult.Failed failed = (SubmissionResult.Failed) result;
        return new RowOutcome(line, RowState.FAILED, null, null, null, failed.httpStatus(), failed.attempts(), null,
                failed.reason());
    }

}
