package dev.bulkoffboarding.logging;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Spring Batch's own account of a run we stopped on purpose off the console. When a run
 * stops for an expected reason (the key was rejected, Quipteams is down, too many rows were
 * rejected, the run lost its owner), the application prints what it means and what to do, once, in
 * the run's summary; Spring Batch would add "Chunk write failed…", "Rolling back chunk
 * transaction" and two stack traces before it. Anything unexpected still shows in full, and so does
 * everything with {@code --debug}.
 */
public class ExpectedStopFilter extends Filter<ILoggingEvent> {

    /** Spring Batch's line before the failure it logs with a stack trace on the next event. */
    static final String CHUNK_WRITE_FAILED = "Chunk write failed with an exception that cannot be skipped";

    private final List<String> expected = new ArrayList<>();

    private boolean debug;

    /** An exception class (fully qualified) that means "stopped on purpose" anywhere in a cause chain. */
    public void addExpected(String className) {
        this.expected.add(className.strip());
    }

    /**
     * With {@code --debug} nothing is filtered. Spring Boot's property {@code debug} is empty for
     * the bare flag and {@code true} when given a value: anything but {@code false} means on.
     */
    public void setDebug(String debug) {
        this.debug = debug != null && !debug.strip().equalsIgnoreCase("false");
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (this.debug || !event.getLoggerName().startsWith("org.springframework.batch.")) {
            return FilterReply.NEUTRAL;
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null) {
            // the stack trace that explains this line comes with the next event, filtered on its own
            return CHUNK_WRITE_FAILED.equals(event.getFormattedMessage()) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
        for (IThrowableProxy cause = thrown; cause != null; cause = cause.getCause()) {
            if (this.expected.contains(cause.getClassName())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

}
