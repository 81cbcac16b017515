package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Paces every request made with one API key (the vendor's budget is per key, and GETs and POSTs
 * share it). Requests wait in two queues, writes (POSTs, {@link #paced}) before reads (GETs,
 * {@link #pacedRead}): when both wait, a write always leaves first. Nothing blocks a thread; waits
 * are timers on the scheduler. A request leaves when all of these allow it:
 * <ol>
 * <li>a token bucket refilled evenly at the current pace. The pace follows the vendor's
 * {@code X-RateLimit-Limit} up and down (capped by {@code quipteams.requests-per-minute} when set;
 * {@code initial-requests-per-minute} until the first header). The bucket starts with one token
 * and holds at most two seconds' worth, never more than a minute's budget, so neither the start
 * nor the end of a pause sends a burst beyond the budget;</li>
 * <li>the vendor's window: when {@code X-RateLimit-Remaining} is used up by the requests already
 * in flight, nothing more leaves until {@code X-RateLimit-Reset}, so several processes on one key
 * see no 429 in steady state;</li>
 * <li>a pause: after a 429, no request leaves before its {@code Retry-After}.</li>
 * </ol>
 * A vendor whose real limit is lower than it advertises answers 429 anyway. Each 429 cuts the pace
 * (multiplicative decrease, once per round trip and at most once a second, however many requests
 * in flight were refused together): to 70 %, or to what the vendor accepted over the last seconds
 * if that is less (but never below a quarter), so that a pace far above the real limit comes down
 * in one or two cuts, not five; every answer after it lets the pace grow back linearly in time
 * (additive increase), reaching the refused pace again after {@link #RECOVERY}, then the
 * advertised limit.
 *
 * <p>A wait longer than {@code maxRateLimitWait} fails the waiting requests with a
 * {@link SystemicFailureException}: the run stops rather than hang.
 */
public class RequestPacer {

    private static final Logger log = LoggerFactory.getLogger(RequestPacer.class);

    /** What the pace is cut to on a 429. */
    static final double DECREASE = 0.7;

    /** How long, without a 429, the pace takes to grow back to the one refused. */
    static final Duration RECOVERY = Duration.ofMinutes(1);

    /** One cut never takes the pace below this share of what it was. */
    static final double DEEPEST_CUT = 0.25;

    /** How far back the answers count that tell what the vendor accepts. */
    private static final long ACCEPTED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final int SLOTS = 20;

    private static final long SLOT_NANOS = ACCEPTED_WINDOW_NANOS / SLOTS;

    /** The pace never goes below this (requests per minute), whatever the 429s. */
    static final double MIN_RATE_PER_MINUTE = 6;

    /**
     * 429s closer together than this are one burst, whatever the measured latency: the pace is cut
     * at most once a second (Retry-After counts in whole seconds anyway).
     */
    private static final long MIN_CUT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Fewer accepted answers than this say nothing about the vendor's real limit. */
    private static final int MIN_ACCEPTED_SAMPLES = 3;

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final QuipteamsProperties properties;
    private final Clock clock;
    private final Scheduler scheduler;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong waitedNanos = new AtomicLong();
    private final AtomicLong rateLimitedResponses = new AtomicLong();
    private final AtomicLong latencyNanos = new AtomicLong();

    // all guarded by this
    private final Deque<Waiter> writes = new ArrayDeque<>();
    private final Deque<Waiter> reads = new ArrayDeque<>();
    private double tokens = 1;
    private long refilledAt;
    private boolean holding;
    private Disposable timer;
    private long timerAt;
    private double rate;
    private int ceiling;
    private boolean congested;
    private long lastCutAt = Long.MIN_VALUE;
    private double refusedRate;
    private long lastGrowthAt;
    private Instant pausedUntil = Instant.EPOCH;
    private Instant windowResetAt;
    private long windowAllowance;
    /** Answers other than 429, per slot of {@link #SLOT_NANOS}, over {@link #ACCEPTED_WINDOW_NANOS}. */
    private final long[] accepted = new long[SLOTS];
    private final long[] slotStart = new long[SLOTS];
    private long firstAnswerAt = Long.MIN_VALUE;

    public RequestPacer(QuipteamsProperties properties) {
        this(properties, Clock.systemUTC(), Schedulers.parallel());
    }

    /**
     * @param clock compares with the vendor's instants (reset, Retry-After)
     * @param scheduler runs the timers; its {@code now} measures the pace
     */
    RequestPacer(QuipteamsProperties properties, Clock clock, Scheduler scheduler) {
        this.properties = properties;
        this.clock = clock;
        this.scheduler = scheduler;
        this.ceiling = properties.startRequestsPerMinute();
        this.rate = this.ceiling;
        this.refilledAt = nanoTime();
        // nothing is saved up before the first request: the start is no burst
        this.holding = true;
    }

    /**
     * Completes when one more write may leave. Fails with {@link SystemicFailureException} when
     * the vendor asked for a wait longer than {@code maxRateLimitWait}.
     */
    public Mono<Void> acquire() {
        return acquire(true);
    }

    /** As {@link #acquire()}, for a read: it leaves only when no write waits. */
    public Mono<Void> acquireRead() {
        return acquire(false);
    }

    private Mono<Void> acquire(boolean write) {
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(sink, nanoTime());
            synchronized (this) {
                (write ? writes : reads).add(waiter);
            }
            sink.onCancel(() -> forget(waiter));
            dispatch();
        });
    }

    /**
     * Runs one write (a POST) once a permit is granted, counting it as in flight until it ends; the
     * call should report its response headers to {@link #onResponseHeaders(HttpHeaders)} before
     * it completes.
     */
    public <T> Mono<T> paced(Supplier<Mono<T>> call) {
        return acquire(true).then(Mono.defer(() -> inFlight(call)));
    }

    /**
     * As {@link #paced}, for a read (a GET: preflight, tracking, reconciling): it shares the key's
     * budget, and leaves only when no write is waiting.
     */
    public <T> Mono<T> pacedRead(Supplier<Mono<T>> call) {
        return acquire(false).then(Mono.defer(() -> inFlight(call)));
    }

    private <T> Mono<T> inFlight(Supplier<Mono<T>> call) {
        inFlight.incrementAndGet();
        long started = nanoTime();
        return Mono.defer(call).doFinally(signal -> {
            inFlight.decrementAndGet();
            long took = Math.max(0, nanoTime() - started);
            // a rough average of recent round trips: how long 429s of one burst keep arriving
            latencyNanos.updateAndGet(average -> (average == 0) ? took : (average * 4 + took) / 5);
        });
    }

    /**
     * Completes at once, or when the current pause ends: for a request that was let go but has not
     * left yet (its send is being recorded) when a 429 started a pause.
     */
    public Mono<Void> awaitPause() {
        return Mono.defer(() -> {
            Duration wait;
            synchronized (this) {
                wait = Duration.between(clock.instant(), pausedUntil);
            }
            return (wait.isNegative() || wait.isZero()) ? Mono.<Void>empty() : timer(wait).then(awaitPause());
        });
    }

    private Mono<Void> timer(Duration wait) {
        return Mono.create(sink -> {
            Disposable task = scheduler.schedule(sink::success, wait.toNanos(), TimeUnit.NANOSECONDS);
            sink.onCancel(task);
        });
    }

    private synchronized void forget(Waiter waiter) {
        writes.remove(waiter);
        reads.remove(waiter);
    }

    /** Lets out every waiting request the gates allow now; sets a timer for the next one. */
    private void dispatch() {
        List<Waiter> granted = new ArrayList<>();
        List<Waiter> failed = new ArrayList<>();
        SystemicFailureException failure = null;
        long now = nanoTime();
        synchronized (this) {
            while (!writes.isEmpty() || !reads.isEmpty()) {
                Duration hold = holdTime();
                if (!hold.isZero()) {
                    if (hold.compareTo(properties.maxRateLimitWait()) > 0) {
                        failure = new SystemicFailureException("Quipteams rate-limit wait of " + ceilSeconds(hold)
                                + " s exceeds the cap of " + ceilSeconds(properties.maxRateLimitWait())
                                + " s (quipteams.max-rate-limit-wait)");
                        failed.addAll(writes);
                        failed.addAll(reads);
                        writes.clear();
                        reads.clear();
                        break;
                    }
                    // what the bucket would gain during the wait must not come out as a burst after it
                    holding = true;
                    schedule(now, hold.toNanos());
                    break;
                }
                refill(now);
                if (tokens < 1) {
                    schedule(now, (long) Math.ceil((1 - tokens) * MINUTE_NANOS / rate));
                    break;
                }
                tokens -= 1;
                if (windowResetAt != null) {
                    windowAllowance--;
                }
                granted.add(writes.isEmpty() ? reads.poll() : writes.poll());
            }
        }
        for (Waiter waiter : granted) {
            waitedNanos.addAndGet(Math.max(0, now - waiter.since));
            waiter.sink.success();
        }
        for (Waiter waiter : failed) {
            waiter.sink.error(failure);
        }
    }

    /** Adds the tokens earned since the last refill, up to the bucket's capacity. */
    private void refill(long now) {
        int capacity = properties.bucketCapacity((int) Math.round(rate));
        if (now > refilledAt) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * rate / MINUTE_NANOS);
        }
        if (holding) {
            // the first request, or the end of a pause or of a spent window: one token at most
            holding = false;
            tokens = Math.min(tokens, 1);
        }
        refilledAt = now;
    }

    private void schedule(long now, long delayNanos) {
        long at = now + Math.max(delayNanos, 1);
        if (timer != null && !timer.isDisposed() && timerAt <= at) {
            return;
        }
        if (timer != null) {
            timer.dispose();
        }
        timerAt = at;
        timer = scheduler.schedule(this::onTimer, at - now, TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        synchronized (this) {
            timer = null;
        }
        dispatch();
    }

    /** How long the pause or an exhausted vendor window still holds every request. */
    private Duration holdTime() {
        Instant now = clock.instant();
        Instant until = pausedUntil;
        if (windowResetAt != null) {
            if (!now.isBefore(windowResetAt)) {
                // the window is over; the next response tells us about the new one
                windowResetAt = null;
            }
            else if (windowAllowance <= 0 && windowResetAt.isAfter(until)) {
                until = windowResetAt;
            }
        }
        return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
    }

    /**
     * Adapts to {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (Unix
     * milliseconds), and counts the response as an answer (the pace grows back after a 429).
     * Implausible values (a reset in seconds, or a day ahead) are ignored. Call it from inside the
     * call that received the headers (see {@link #paced}), which still counts as in flight: the
     * other requests in flight are what may use up {@code Remaining}.
     */
    public void onResponseHeaders(HttpHeaders headers) {
        Long limit = RateLimitHeaders.nonNegativeLong(headers, RateLimitHeaders.LIMIT);
        synchronized (this) {
            if (limit != null && limit > 0) {
                adaptCeiling(limit);
            }
            long now = nanoTime();
            countAnswer(now, 1);
            grow(now);
        }
        Instant now = clock.instant();
        Long remaining = RateLimitHeaders.nonNegativeLong(headers, RateLimitHeaders.REMAINING);
        Instant reset = RateLimitHeaders.resetAt(headers, now);
        if (remaining == null || reset == null || !reset.isAfter(now)) {
            return;
        }
        // the other requests in flight may not be counted in Remaining yet: assume they will be
        long othersInFlight = Math.max(0, inFlight.get() - 1);
        long allowance = remaining - othersInFlight;
        synchronized (this) {
            if (windowResetAt == null || reset.isAfter(windowResetAt)) {
                windowResetAt = reset;
                windowAllowance = allowance;
            }
            else if (reset.equals(windowResetAt)) {
                windowAllowance = Math.min(windowAllowance, allowance);
            }
            // an older window's figures arriving late are stale: ignore them
        }
    }

    /** No request leaves before {@code until} (a 429's Retry-After). Pauses only ever extend. */
    public synchronized void pauseUntil(Instant until) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
            holding = true;
            log.info("Quipteams asked us to wait: pausing all requests until {}", until);
        }
    }

    /**
     * A 429 arrived; {@code retryAt} (may be null) is when the vendor allows the next request.
     * Pauses every request until then, and cuts the pace unless another 429 of the same round trip
     * already did.
     */
    void onRateLimited(Instant retryAt) {
        rateLimitedResponses.incrementAndGet();
        if (retryAt != null) {
            pauseUntil(retryAt);
        }
        long now = nanoTime();
        synchronized (this) {
            // the 429's response was counted as an answer: it was not accepted
            countAnswer(now, -1);
            long sameBurst = Math.max(MIN_CUT_INTERVAL_NANOS, latencyNanos.get());
            if (lastCutAt != Long.MIN_VALUE && now - lastCutAt < sameBurst) {
                return;
            }
            double before = rate;
            congested = true;
            refusedRate = before;
            double cut = Math.max(before * DEEPEST_CUT, Math.min(before * DECREASE, acceptedPerMinute(now)));
            rate = Math.max(MIN_RATE_PER_MINUTE, cut);
            lastCutAt = now;
            lastGrowthAt = now;
            log.info("Quipteams refused a request (429) at {} requests per minute: pacing at {} and growing back "
                    + "slowly", Math.round(before), Math.round(rate));
        }
    }

    private void countAnswer(long now, int delta) {
        if (firstAnswerAt == Long.MIN_VALUE) {
            firstAnswerAt = now;
        }
        long slotBegin = now - Math.floorMod(now, SLOT_NANOS);
        int slot = (int) Math.floorMod(Math.floorDiv(now, SLOT_NANOS), (long) SLOTS);
        if (slotStart[slot] != slotBegin) {
            slotStart[slot] = slotBegin;
            accepted[slot] = 0;
        }
        accepted[slot] += delta;
    }

    /**
     * What the vendor accepted (answers other than 429) over the last seconds, per minute: when it
     * refuses, about its real limit, since the pace was above it. Unknown (the largest value) when
     * too few answers came to tell.
     */
    private double acceptedPerMinute(long now) {
        long count = 0;
        for (int slot = 0; slot < SLOTS; slot++) {
            if (now - slotStart[slot] < ACCEPTED_WINDOW_NANOS) {
                count += accepted[slot];
            }
        }
        if (count < MIN_ACCEPTED_SAMPLES) {
            return Double.MAX_VALUE;
        }
        long span = Math.min(ACCEPTED_WINDOW_NANOS, Math.max(TimeUnit.SECONDS.toNanos(1), now - firstAnswerAt));
        return count * (double) MINUTE_NANOS / span;
    }

    /** After a 429: the pace grows linearly in time, back to the refused pace in {@link #RECOVERY}. */
    private void grow(long now) {
        if (!congested || rate >= ceiling || now <= lastGrowthAt) {
            lastGrowthAt = Math.max(lastGrowthAt, now);
            return;
        }
        double perNano = refusedRate * (1 - DECREASE) / RECOVERY.toNanos();
        rate = Math.min(ceiling, rate + perNano * (now - lastGrowthAt));
        lastGrowthAt = now;
    }

    private void adaptCeiling(long vendorLimit) {
        int allowed = properties.ceilingFor(vendorLimit);
        if (allowed == ceiling) {
            return;
        }
        log.info("Quipteams allows {} requests per minute (X-RateLimit-Limit){}: pacing at up to {}", vendorLimit,
                (properties.requestsPerMinute() != null)
                        ? ", capped at " + properties.requestsPerMinute() + " (quipteams.requests-per-minute)" : "",
                allowed);
        ceiling = allowed;
        // without a 429 so far the advertised limit is believed at once, up or down; after one,
        // only downwards: the pace grows back to it slowly
        if (!congested || rate > ceiling) {
            rate = ceiling;
        }
        tokens = Math.min(tokens, properties.bucketCapacity(ceiling));
    }

    /** The pace now, requests per minute. */
    public synchronized int effectiveRatePerMinute() {
        return (int) Math.round(rate);
    }

    /** Total time callers spent waiting in {@link #acquire()}, summed over all callers. */
    public Duration totalWaitTime() {
        return Duration.ofNanos(waitedNanos.get());
    }

    /** How many 429 responses the vendor sent. */
    public long rateLimitedResponses() {
        return rateLimitedResponses.get();
    }

    /** Requests that hold a permit and have not finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The end of the current pause; in the past when there is none. */
    public synchronized Instant pausedUntil() {
        return pausedUntil;
    }

    private long nanoTime() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    private static long ceilSeconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    /** A request waiting for its permit. */
    private record Waiter(MonoSink<Void> sink, long since) {
    }

}
