package dev.bulkoffboarding.quipteams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler whose time moves only when the test says so ({@link #advance}), running the timers
 * that fall due on the test's thread, in order; {@link #clock()} shows the same time. Pacing tests
 * count and order what the pacer lets out, second by virtual second, and never wait for real.
 */
final class ManualScheduler implements Scheduler {

    static final Instant START = Instant.parse("2026-03-07T10:00:00Z");

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::at).thenComparingLong(Task::sequence));

    private long now;

    private long sequence;

    @Override
    public synchronized long now(TimeUnit unit) {
        return unit.convert(now, TimeUnit.NANOSECONDS);
    }

    /** The virtual time as an instant, starting at {@link #START}. */
    synchronized Instant instant() {
        return START.plusNanos(now);
    }

    /** A clock showing the virtual time. */
    Clock clock() {
        return new Clock() {

            @Override
            public Instant instant() {
                return ManualScheduler.this.instant();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

        };
    }

    @Override
    public Disposable schedule(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Task scheduled = new Task(now + unit.toNanos(Math.max(0, delay)), sequence++, task, new AtomicBoolean());
        tasks.add(scheduled);
        return scheduled;
    }

    /** Moves time forward by {@code duration}, running every timer that falls due on the way. */
    void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at() > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at());
            }
            if (!next.isDisposed()) {
                next.task().run();
            }
        }
    }

    @Override
    public Worker createWorker() {
        throw new UnsupportedOperationException("the pacer schedules on the scheduler itself");
    }

    private record Task(long at, long sequence, Runnable task, AtomicBoolean disposed) implements Disposable {

        @Override
        public void dispose() {
            disposed.set(true);
        }

        @Override
        public boolean isDisposed() {
            return disposed.get();
        }

    }

}
