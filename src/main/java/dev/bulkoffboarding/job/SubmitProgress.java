package dev.bulkoffboarding.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.bulkoffboarding.rows.RowOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Prints a progress line on long runs: rows done of total, rate and time left. */
class SubmitProgress {

    private static final Log logger = LogFactory.getLog(SubmitProgress.class);

    private final long total;

    private final Duration interval;

    private final Clock clock;

    private final Instant started;

    private Instant lastPrinted;

    private long done;

    SubmitProgress(long total, Duration interval, Clock clock) {
        this.total = total;
        this.interval = interval;
        this.clock = clock;
        this.started = clock.instant();
        this.lastPrinted = this.started;
    }

    synchronized void record(List<RowOutcome> outcomes) {
        this.done += outcomes.size();
        Instant now = this.clock.instant();
        if (Duration.between(this.lastPrinted, now).compareTo(this.interval) >= 0 || this.done >= this.total) {
            this.lastPrinted = now;
            logger.info(line(now));
        }
    }

    String line(Instant now) {
        double seconds = Math.max(0.001, Duration.between(this.started, now).toMillis() / 1000.0);
        double rate = this.done / seconds;
        long left = Math.max(0, this.total - this.done);
        String eta = (rate > 0) ? format(Duration.ofSeconds((long) Math.ceil(left / rate))) : "unknown";
        return String.format(Locale.ROOT, "Progress: %,d/%,d rows (%d %%), %.1f rows/s, ETA %s", this.done,
                this.total, (this.total == 0) ? 100 : this.done * 100 / this.total, rate, eta);
    }

    private static String format(Duration duration) {
        long s = duration.toSeconds();
        return (s >= 3600) ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

}
