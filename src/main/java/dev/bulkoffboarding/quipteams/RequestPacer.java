package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Paces every request made with one API key (the vendor's budget is per key, and GETs and POSTs
 * share it). Three gates, all non-blocking (waits are Reactor timers, never a parked thread):
 * <ol>
 * <li>a Bucket4j token bucket refilled evenly at the effective rate, which starts at
 * {@code requestsPerMinute} and drops to the vendor's {@code X-RateLimit-Limit} when that is
 * lower, so the budget is spent evenly across the minute;</li>
 * <li>the vendor's window: when {@code X-RateLimit-Remaining} is used up by the requests already
 * in flight, nothing more leaves until {@code X-RateLimit-Reset}, so steady state sees no 429;</li>
 * <li>a pause: after a 429, no request leaves before its {@code Retry-After}.</li>
 * </ol>
 * A wait longer than {@code maxRateLimitWait} fails the acquire with a
 * {@link SystemicFailureException}: the run stops rather than hang.
 */
public class RequestPacer {

    private static final Logger log = LoggerFactory.getLogger(RequestPacer.class);

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final QuipteamsProperties properties;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Bucket bucket;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong waitedNanos = new AtomicLong();
    private final AtomicLong rateLimitedResponses = new AtomicLong();
    private volatile int effectiveRatePerMinute;

    // guarded by this
    private Instant pausedUntil = Instant.EPOCH;
    private Instant windowResetAt;
    private long windowAllowance;

    public RequestPacer(QuipteamsProperties properties) {
        this(properties, Clock.systemUTC(), Schedulers.parallel());
    }

    RequestPacer(QuipteamsProperties properties, Clock clock, Scheduler scheduler) {
        this.properties = properties;
        this.clock = clock;
        this.scheduler = scheduler;
        this.effectiveRatePerMinute = properties.requestsPerMinute();
        this.bucket = Bucket.builder()
                .withNanosecondPrecision()
                .addLimit(limit -> limit.capacity(properties.bucketCapacity(effectiveRatePerMinute))
                        .refillGreedy(effectiveRatePerMinute, WINDOW))
                .build();
    }

    /**
     * Completes when one more request may leave. Fails with {@link SystemicFailureException} when
     * the vendor asked for a wait longer than {@code maxRateLimitWait}.
     */
    public Mono<Void> acquire() {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return acquireLoop().doFinally(signal -> waitedNanos.addAndGet(System.nanoTime() - started));
        });
    }

    /**
     * Runs one HTTP call once a permit is granted, counting it as in flight until it ends; the
     * call should report its response headers to {@link #onResponseHeaders(HttpHeaders)} before
     * it completes.
     */
    <T> Mono<T> paced(Supplier<Mono<T>> call) {
        return acquire().then(Mono.defer(() -> {
            inFlight.incrementAndGet();
            return Mono.defer(call).doFinally(signal -> inFlight.decrementAndGet());
        }));
    }

    private Mono<Void> acquireLoop() {
        return Mono.defer(() -> {
            // do not reserve tokens while paused: they would be spent on nothing
            Duration hold = holdTime(false);
            if (!hold.isZero()) {
                return delay(hold).then(acquireLoop());
            }
            long tokenWaitNanos = bucket.consumeIgnoringRateLimits(1);
            return delay(Duration.ofNanos(Math.min(tokenWaitNanos, WINDOW.toNanos()))).then(Mono.defer(() -> {
                // a pause or an exhausted window may have begun while we waited for the token
                Duration holdAfterToken = holdTime(true);
                return holdAfterToken.isZero() ? Mono.<Void>empty() : delay(holdAfterToken).then(acquireLoop());
            }));
        });
    }

    private Mono<Void> delay(Duration duration) {
        return (duration.isZero() || duration.isNegative()) ? Mono.empty() : Mono.delay(duration, scheduler).then();
    }

    /**
     * How long requests must still wait; when the answer is none and {@code enter} is set, the
     * caller is let through and counted against the vendor's window.
     */
    private synchronized Duration holdTime(boolean enter) {
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
        if (now.isBefore(until)) {
            Duration wait = Duration.between(now, until);
            if (wait.compareTo(properties.maxRateLimitWait()) > 0) {
                throw new SystemicFailureException("Quipteams rate-limit wait of " + ceilSeconds(wait)
                        + " s exceeds the cap of " + ceilSeconds(properties.maxRateLimitWait())
                        + " s (quipteams.max-rate-limit-wait)");
            }
            return wait;
        }
        if (enter && windowResetAt != null) {
            windowAllowance--;
        }
        return Duration.ZERO;
    }

    /**
     * Adapts to {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (Unix
     * milliseconds). Implausible values (a reset in seconds, or a day ahead) are ignored. Call it
     * from inside the call that received the headers (see {@link #paced}), which still counts as
     * in flight: the other requests in flight are what may use up {@code Remaining}.
     */
    public void onResponseHeaders(HttpHeaders headers) {
        Long limit = RateLimitHeaders.nonNegativeLong(headers, RateLimitHeaders.LIMIT);
        if (limit != null && limit > 0) {
            adaptRate((int) Math.min(limit, Integer.MAX_VALUE));
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
            log.info("Quipteams asked us to wait: pausing all requests until {}", until);
        }
    }

    /** A 429 arrived; {@code retryAt} (may be null) is when the vendor allows the next request. */
    void onRateLimited(Instant retryAt) {
        rateLimitedResponses.incrementAndGet();
        if (retryAt != null) {
            pauseUntil(retryAt);
        }
    }

    private synchronized void adaptRate(int vendorLimit) {
        int rate = Math.min(properties.requestsPerMinute(), vendorLimit);
        if (rate == effectiveRatePerMinute) {
            return;
        }
        log.info("Quipteams allows {} requests per minute (X-RateLimit-Limit), we are configured for {}: pacing at {}",
                vendorLimit, properties.requestsPerMinute(), rate);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(properties.bucketCapacity(rate)).refillGreedy(rate, WINDOW))
                .build();
        bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
        effectiveRatePerMinute = rate;
    }

    /** The rate the bucket refills at now, per minute. */
    public int effectiveRatePerMinute() {
        return effectiveRatePerMinute;
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

    private static long ceilSeconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    /**
     * As {@link #paced}, for a read (a preflight or tracking GET): it shares the key's budget with
     * the POSTs.
     */
    <T> Mono<T> pacedRead(Supplier<Mono<T>> call) {
        return paced(call);
    }

}
