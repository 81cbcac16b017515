package dev.bulkoffboarding.quipteams;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Lets a run's POSTs out one at a time until the vendor has answered one of them as the Quipteams
 * API does (created, or a row rejected in the vendor's error envelope); then all of
 * {@code quipteams.max-in-flight} at once.
 *
 * <p>A wrong key, a wrong base URL or an unreachable host fails every request the same way. With
 * the full concurrency from the start, each of them would cost {@code max-in-flight} requests (or
 * a row's retries several times over) before the run stopped; one at a time, the first answer
 * stops it: a wrong key or base URL costs one request, an unreachable host at most
 * {@link #MAX_UNREACHABLE} attempts, and the run fails with a message that names the cause. Once
 * the vendor has answered, the usual per-row retries and the circuit breaker take over.
 *
 * <p>A new run (or a restart) starts slow again: the key or the address may have changed since.
 */
final class SlowStart {

    /** Attempts that could not reach the vendor before it ever answered, before the run stops. */
    static final int MAX_UNREACHABLE = 3;

    private final URI baseUrl;

    // guarded by this
    private boolean open;
    private boolean busy;
    private boolean halted;
    private int unreachable;
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    SlowStart(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A run starts (or restarts) sending: one request at a time again, until one is answered. */
    synchronized void reset() {
        open = false;
        halted = false;
        unreachable = 0;
    }

    /** Whether the vendor has answered this run, so that requests are no longer held back. */
    synchronized boolean isOpen() {
        return open;
    }

    /**
     * Sends one POST when the slow start lets it go, and judges its outcome before anything else is
     * let out. Errors with a {@link SystemicFailureException} when the vendor could not be reached
     * {@link #MAX_UNREACHABLE} times before it ever answered.
     */
    Mono<AttemptOutcome> send(Supplier<Mono<AttemptOutcome>> post) {
        return acquire().flatMap(permit -> Mono.defer(post)
                .flatMap(outcome -> {
                    SystemicFailureException stop = judge(outcome);
                    // released before the caller goes on: its retry of this very row may need the permit
                    release(permit);
                    return (stop != null) ? Mono.<AttemptOutcome>error(stop) : Mono.just(outcome);
                })
                .doFinally(signal -> release(permit)));
    }

    private Mono<Permit> acquire() {
        return Mono.create(sink -> {
            Permit granted = null;
            synchronized (this) {
                if (open) {
                    granted = Permit.UNLIMITED;
                }
                else if (!busy && !halted) {
                    busy = true;
                    granted = new Permit();
                }
                else {
                    Waiter waiter = new Waiter(sink);
                    waiting.add(waiter);
                    sink.onCancel(() -> {
                        forget(waiter);
                        waiter.cancel().ifPresent(this::release);
                    });
                }
            }
            if (granted != null) {
                sink.success(granted);
            }
        });
    }

    private synchronized void forget(Waiter waiter) {
        waiting.remove(waiter);
    }

    /** Opens on the vendor's first answer; halts (lets nothing more out) on a systemic failure. */
    private synchronized SystemicFailureException judge(AttemptOutcome outcome) {
        if (outcome instanceof AttemptOutcome.Created || outcome instanceof AttemptOutcome.Permanent) {
            open = true;
            return null;
        }
        if (open) {
            return null;
        }
        if (outcome instanceof AttemptOutcome.Systemic) {
            // the caller stops the run; the rows waiting here are cancelled, never sent
            halted = true;
            return null;
        }
        if (outcome instanceof AttemptOutcome.NotSent notSent && notSent.httpStatus() == null) {
            unreachable++;
            if (unreachable >= MAX_UNREACHABLE) {
                halted = true;
                return new SystemicFailureException("cannot reach " + AttemptOutcome.where(baseUrl) + ": "
                        + cause(notSent.reason()) + " (" + unreachable + " attempts); check quipteams.base-url "
                        + "and this machine's network");
            }
        }
        return null;
    }

    private void release(Permit permit) {
        if (!permit.release()) {
            return;
        }
        List<Waiter> wake = new ArrayList<>();
        List<Permit> permits = new ArrayList<>();
        synchronized (this) {
            busy = false;
            if (halted) {
                return;
            }
            while (!waiting.isEmpty() && (open || !busy)) {
                wake.add(waiting.poll());
                if (open) {
                    permits.add(Permit.UNLIMITED);
                }
                else {
                    busy = true;
                    permits.add(new Permit());
                }
            }
        }
        // outside the lock: a woken request starts sending on this thread
        for (int i = 0; i < wake.size(); i++) {
            wake.get(i).grant(permits.get(i)).ifPresent(this::release);
        }
    }

    /** What a person would call the failure: "connection refused", "unknown host", ... */
    static String cause(String reason) {
        String lower = (reason == null) ? "" : reason.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused")) {
            return "connection refused";
        }
        if (lower.startsWith("unknown host")) {
            return "unknown host";
        }
        if (lower.startsWith("connect timeout")) {
            return "no connection within quipteams.connect-timeout";
        }
        return (reason == null) ? "no connection" : reason;
    }

    /**
     * A request waiting for its turn. Granting and cancelling can cross: whichever comes second
     * hands a permit the request will not use back.
     */
    private static final class Waiter {

        private final MonoSink<Permit> sink;
        private Permit granted;
        private boolean cancelled;

        Waiter(MonoSink<Permit> sink) {
            this.sink = sink;
        }

        /** Empty when the request takes the permit, else the permit to hand back. */
        Optional<Permit> grant(Permit permit) {
            synchronized (this) {
                if (cancelled) {
                    return Optional.of(permit);
                }
                granted = permit;
            }
            sink.success(permit);
            return Optional.empty();
        }

        /** The permit granted to this request that it will not use, if any. */
        synchronized Optional<Permit> cancel() {
            cancelled = true;
            return Optional.ofNullable(granted);
        }

    }

    /** The right to send while the slow start holds requests back; released once. */
    private static class Permit {

        static final Permit UNLIMITED = new Permit() {

            @Override
            boolean release() {
                return false;
            }

        };

        private final AtomicBoolean released = new AtomicBoolean();

        /** True the first time: the caller then hands the slot on. */
        boolean release() {
            return released.compareAndSet(false, true);
        }

    }

}
