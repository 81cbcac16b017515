package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The per-row policy on top of {@link DeviceActionClient}: retry what was not sent (exponential
 * backoff, full jitter), reconcile what may have been sent before sending it again, give up on a
 * row after {@code maxAttempts} POSTs, and stop everything on a systemic failure. A 429 is not one
 * of a row's attempts: the vendor refused it for the key's budget, not for the row, and the pacer
 * holds every request until its {@code Retry-After}; a row gives up only after
 * {@link #MAX_RATE_LIMITED} of them.
 *
 * <p>The one rule that matters most: a request that may have reached the vendor is never sent
 * again until its last send plus the response timeout and the settle delay has passed (the vendor
 * may create the action late, and its list may lag behind) and, after that moment, listing the
 * vendor's device actions has shown nothing of ours. If listing fails for good, the row ends
 * {@link SubmissionResult.Failed} with {@code unreconciledAttemptAt} set, and is not resent.
 *
 * <p>Row-level problems end in a result, never an error; the returned publishers error only with a
 * {@link SystemicFailureException}.
 */
public class DeviceActionSubmitter {

    private static final Logger log = LoggerFactory.getLogger(DeviceActionSubmitter.class);

    /**
     * 429s one row may meet before it ends FAILED: a bound, so that a vendor that refuses everything
     * cannot keep a run going forever.
     */
    static final int MAX_RATE_LIMITED = 50;

    private final DeviceActionClient client;
    private final QuipteamsProperties properties;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final CircuitBreaker circuitBreaker;
    private final SlowStart slowStart;

    public DeviceActionSubmitter(DeviceActionClient client, QuipteamsProperties properties) {
        this(client, properties, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(),
                Schedulers.parallel());
    }

    /**
     * @param clock stamps attempts (reconcile windows) and failures (the circuit breaker's message)
     * @param random uniform values in [0, 1) for the backoff jitter
     * @param scheduler runs the backoff and settle timers
     */
    DeviceActionSubmitter(DeviceActionClient client, QuipteamsProperties properties, Clock clock,
            DoubleSupplier random, Scheduler scheduler) {
        this.client = client;
        this.properties = properties;
        this.clock = clock;
        this.scheduler = scheduler;
        this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff(), random);
        this.circuitBreaker = new CircuitBreaker(properties.circuitBreakerThreshold(), properties.maxBackoff(), clock);
        this.slowStart = new SlowStart(client.baseUrl());
    }

    /**
     * A run starts (or restarts) sending: the circuit breaker, which an earlier run may have
     * opened moments ago, gives it a fresh chance, and its first POSTs go one at a time
     * ({@link SlowStart}).
     */
    public void startRun() {
        this.circuitBreaker.reset();
        this.slowStart.reset();
    }

    /** Submits one row until it is created, rejected or out of attempts. */
    public Mono<SubmissionResult> submit(Submission submission) {
        return submit(submission, SendRecorder.NONE);
    }

    /**
     * Submits one row until it is created, rejected or out of attempts, telling {@code recorder}
     * before each request leaves.
     */
    public Mono<SubmissionResult> submit(Submission submission, SendRecorder recorder) {
        return Mono.defer(() -> new RowSubmission(submission, recorder).next());
    }

    /**
     * Submits rows concurrently, at most {@code maxInFlight} at once, emitting each row's result as
     * it completes. At the first systemic failure the flux errors with it and the unfinished rows
     * are cancelled: they have no result, and the caller keeps them SUBMITTING so that a restart
     * reconciles them.
     */
    public Flux<Map.Entry<Submission, SubmissionResult>> submitAll(List<Submission> submissions) {
        return Flux.fromIterable(submissions)
                .flatMap(submission -> submit(submission).map(result -> Map.entry(submission, result)),
                        properties.maxInFlight());
    }

    private Mono<Void> delay(Duration duration) {
        return duration.isZero() ? Mono.empty() : Mono.delay(duration, scheduler).then();
    }

    /** What listing found: the action, nothing, or (failure != null) no answer. */
    private record Lookup(RemoteDeviceAction found, String failure) {
    }

    /**
     * The state of one row's submission. Its steps run one after another, never concurrently,
     * so plain fields are enough.
     */
    private final class RowSubmission {

        private final Submission submission;

        private final ActionFingerprint ours;

        private final SendRecorder recorder;

        private int attempts;
        private int rateLimited;
        private int transientFailures;
        private AttemptOutcome lastFailure;
        private Integer lastStatus;
        private String lastReason;
        private Instant firstFailureAt;

        /** When an attempt that may have created the action started; null when none is pending. */
        private Instant unreconciledAttemptAt;

        /** Set when a 2xx came back without the action's id: whatever the lookup says is final. */
        private AttemptOutcome.AcceptedWithoutId acceptedWithoutId;

        /** When this row's request last left, by this submission or (from the ledger) an earlier one. */
        private volatile Instant lastSentAt;

        /**
         * When this row was first sent, by this submission or an earlier one: an action created
         * before it (less the clock skew) cannot be ours, whichever attempt created it.
         */
        private Instant firstAttemptAt;

        RowSubmission(Submission submission, SendRecorder recorder) {
            this.submission = submission;
            this.ours = ActionFingerprint.of(submission);
            this.recorder = recorder;
            // a crash left the row SUBMITTING: look before sending
            this.unreconciledAttemptAt = submission.previousAttemptAt();
            this.firstAttemptAt = submission.previousAttemptAt();
            // The record is taken before connecting: the bytes may have left up to a connect timeout
            // later. Without a record, the first attempt is the latest one known.
            this.lastSentAt = (submission.lastSentAt() != null)
                    ? submission.lastSentAt().plus(properties.connectTimeout()) : submission.previousAttemptAt();
        }

        Mono<SubmissionResult> next() {
            if (unreconciledAttemptAt != null) {
                return reconcile();
            }
            if (attempts >= properties.maxAttempts()) {
                return failed(lastReason, null);
            }
            return delay(waitBeforeNextPost()).then(Mono.defer(this::post));
        }

        private Duration waitBeforeNextPost() {
            if (lastFailure instanceof AttemptOutcome.NotSent notSent) {
                // after a 429 with a retry time the pacer holds every request: no extra wait
                return (notSent.retryAt() != null) ? Duration.ZERO : backoff.delay(transientFailures - 1);
            }
            // first attempt, or a maybe-sent one that has settled and been reconciled already
            return Duration.ZERO;
        }

        private Mono<SubmissionResult> post() {
            circuitBreaker.ensureClosed();
            attempts++;
            Instant startedAt = clock.instant();
            if (firstAttemptAt == null) {
                firstAttemptAt = startedAt;
            }
            return slowStart.send(() -> client.create(submission, this::recordSend, this::sent))
                    .flatMap(outcome -> handle(outcome, startedAt));
        }

        /** Write-ahead: the pacer let the request go; it leaves once this has returned. */
        private void recordSend() {
            recorder.recordSend(submission, clock.instant());
        }

        /** The request's bytes start to leave now (opening the connection may have taken a while). */
        private void sent() {
            lastSentAt = clock.instant();
        }

        private Mono<SubmissionResult> handle(AttemptOutcome outcome, Instant startedAt) {
            if (outcome instanceof AttemptOutcome.Created created) {
                circuitBreaker.recordAnswer();
                return Mono.just(new SubmissionResult.Created(created.vendorId(), created.actionId(), created.status(),
                        created.httpStatus(), attempts, false));
            }
            if (outcome instanceof AttemptOutcome.Permanent permanent) {
                circuitBreaker.recordAnswer();
                return Mono.just(new SubmissionResult.Rejected(permanent.httpStatus(), permanent.code(),
                        permanent.message(), attempts));
            }
            if (outcome instanceof AttemptOutcome.AcceptedWithoutId accepted) {
                log.warn("{}: attempt {} answered {}; looking it up", submission.row(), attempts,
                        accepted.reason());
                acceptedWithoutId = accepted;
                lastStatus = accepted.httpStatus();
                unreconciledAttemptAt = startedAt;
                return next();
            }
            if (outcome instanceof AttemptOutcome.Systemic systemic) {
                // the run's summary says why it stopped (once): see RunListener for serve
                log.debug("Stopping: {}", systemic.reason());
                return Mono.error(systemic.toException());
            }
            if (outcome instanceof AttemptOutcome.NotSent notSent) {
                noteTransientFailure(outcome, notSent.httpStatus(), notSent.reason(), startedAt);
                if (isRateLimited(notSent)) {
                    // refused for the key's budget, not for this row: not one of its attempts
                    attempts--;
                    rateLimited++;
                    if (rateLimited >= MAX_RATE_LIMITED) {
                        return failed("rate limited " + rateLimited + " times (" + notSent.reason() + ")",
                                null);
                    }
                    return next();
                }
                log.debug("{}: attempt {} not sent ({}), will retry", submission.row(), attempts,
                        notSent.reason());
                return next();
            }
            AttemptOutcome.MaybeSent maybeSent = (AttemptOutcome.MaybeSent) outcome;
            noteTransientFailure(outcome, maybeSent.httpStatus(), maybeSent.reason(), startedAt);
            log.debug("{}: attempt {} may have been sent ({}), reconciling", submission.row(), attempts,
                    maybeSent.reason());
            unreconciledAttemptAt = startedAt;
            return next();
        }

        private static boolean isRateLimited(AttemptOutcome.NotSent notSent) {
            return notSent.httpStatus() != null && notSent.httpStatus() == 429;
        }

        private void noteTransientFailure(AttemptOutcome outcome, Integer status, String reason, Instant at) {
            transientFailures++;
            lastFailure = outcome;
            lastStatus = status;
            lastReason = reason;
            if (firstFailureAt == null) {
                firstFailureAt = at;
            }
        }

        /** Lists the vendor's actions for this row; found ends the row, nothing found lets it go on. */
        private Mono<SubmissionResult> reconcile() {
            Instant attemptAt = unreconciledAttemptAt;
            Instant createdAfter = firstAttemptAt.minus(properties.reconcileClockSkew());
            return lookup(createdAfter, 0, untilSettled()).flatMap(lookup -> {
                if (lookup.found() != null) {
                    RemoteDeviceAction found = lookup.found();
                    circuitBreaker.recordAnswer();
                    log.info("{}: found the device action {} created by an earlier attempt; not resending",
                            submission.row(), found.actionId());
                    return Mono.just(new SubmissionResult.Created(found.id(), found.actionId(), found.status(), 200,
                            attempts, true));
                }
                if (acceptedWithoutId != null) {
                    return unconfirmed(lookup.failure());
                }
                if (lookup.failure() != null) {
                    return failed("could not tell whether the attempt of " + attemptAt
                            + " created the device action: " + lookup.failure(), attemptAt);
                }
                unreconciledAttemptAt = null;
                return next();
            });
        }

        /**
         * How long until the vendor's list can be trusted to show what the last send created: the
         * vendor may still create it until the response timeout has passed (it does not know that
         * we gave up), later still if it is slow, and its list may lag behind creation. A restart
         * waits too, from the recorded send.
         */
        private Duration untilSettled() {
            Instant sent = lastSentAt;
            if (sent == null) {
                return Duration.ZERO;
            }
            Instant settled = sent.plus(properties.responseTimeout()).plus(properties.settleDelay());
            Duration wait = Duration.between(clock.instant(), settled);
            return wait.isNegative() ? Duration.ZERO : wait;
        }

        private Mono<Lookup> lookup(Instant createdAfter, int retry, Duration wait) {
            return delay(wait).then(Mono.defer(() -> {
                circuitBreaker.ensureClosed();
                return client.findActions(submission.serialNumber(), submission.actionType(), createdAfter);
            }))
                    .map(actions -> new Lookup(actions.stream()
                            .filter(action -> isOurs(action, createdAfter))
                            .findFirst()
                            .orElse(null), null))
                    .onErrorResume(error -> !(error instanceof SystemicFailureException), error -> {
                        if (firstFailureAt == null) {
                            firstFailureAt = clock.instant();
                        }
                        if (retry + 1 >= properties.maxAttempts()) {
                            return Mono.just(new Lookup(null, error.getMessage()));
                        }
                        // never POST blindly: ask again, later
                        return lookup(createdAfter, retry + 1, backoff.delay(retry));
                    });
        }

        private boolean isOurs(RemoteDeviceAction action, Instant createdAfter) {
            // the vendor's filters are loose; an action older than the window is someone else's
            return action.id() != null && action.isSameAs(ours)
                    && (action.createdAt() == null || !action.createdAt().isBefore(createdAfter))
                    && !submission.knownVendorIds().contains(action.id());
        }

        /** A 2xx without an id that listing could not confirm: a person decides, nothing is resent. */
        private Mono<SubmissionResult> unconfirmed(String listingFailure) {
            String found = (listingFailure == null) ? "the vendor's list does not show the device action"
                    : "the vendor's list could not be read (" + listingFailure + ")";
            String reason = AttemptOutcome.truncate("Quipteams answered " + acceptedWithoutId.reason() + " and " + found
                    + ": check the vendor's dashboard before sending it again");
            log.warn("{}: unconfirmed: {}", submission.row(), reason);
            return Mono.just(new SubmissionResult.Unconfirmed(acceptedWithoutId.httpStatus(), reason, attempts));
        }

        private Mono<SubmissionResult> failed(String reason, Instant unreconciled) {
            SubmissionResult.Failed failed = new SubmissionResult.Failed(lastStatus,
                    (reason != null) ? reason : "no attempt succeeded", attempts, unreconciled);
            log.warn("{}: failed after {} attempts: {}", submission.row(), attempts, failed.reason());
            SystemicFailureException open = circuitBreaker
                    .recordFailure((firstFailureAt != null) ? firstFailureAt : clock.instant());
            if (open != null) {
                log.debug("Stopping: {}", open.reason());
                return Mono.error(open);
            }
            return Mono.just(failed);
        }

    }

}
