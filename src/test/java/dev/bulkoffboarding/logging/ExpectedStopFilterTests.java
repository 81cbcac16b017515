package dev.bulkoffboarding.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectedStopFilterTests {

    static final String BATCH = "org.springframework.batch.core.step.AbstractStep";

    final LoggerContext context = new LoggerContext();

    @Test
    void hidesSpringBatchsStackTraceOfARunStoppedOnPurpose() {
        // given
        ExpectedStopFilter filter = filter(false);
        Exception stopped = new IllegalStateException("Unable to process chunk", new Stopped("API key rejected"));

        // when / then
        assertThat(filter.decide(event(BATCH, "Encountered an error executing step", stopped)))
            .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(event("org.springframework.batch.core.step.item.ChunkOrientedStep",
                ExpectedStopFilter.CHUNK_WRITE_FAILED, null))).isEqualTo(FilterReply.DENY);
    }

    @Test
    void showsTheUnexpectedOursAndEverythingWithDebug() {
        // given
        Exception unexpected = new IllegalStateException("Unable to process chunk", new NullPointerException());
        Exception stopped = new Stopped("Quipteams unavailable");

        // when / then
        assertThat(filter(false).decide(event(BATCH, "Encountered an error executing step", unexpected)))
            .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter(false).decide(event("dev.bulkoffboarding.job.RunService", "stopped", stopped)))
            .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter(true).decide(event(BATCH, "Encountered an error executing step", stopped)))
            .isEqualTo(FilterReply.NEUTRAL);
    }

    private static ExpectedStopFilter filter(boolean debug) {
        ExpectedStopFilter filter = new ExpectedStopFilter();
        filter.addExpected(Stopped.class.getName());
        filter.setDebug(debug ? "" : "false");
        return filter;
    }

    private LoggingEvent event(String logger, String message, Throwable thrown) {
        Logger log = this.context.getLogger(logger);
        return new LoggingEvent(Logger.class.getName(), log, Level.ERROR, message, thrown, null);
    }

    /** Stands for RunStoppedException, which the configuration names. */
    static final class Stopped extends RuntimeException {

        Stopped(String message) {
            super(message);
        }

    }

}
