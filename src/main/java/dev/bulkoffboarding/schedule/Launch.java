package dev.bulkoffboarding.schedule;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService.RunResult;

/**
 * A run started in the background. Runs take hours at the vendor's pace, so a request that starts
 * one only waits until it is known which run it is (or why it was refused).
 */
public final class Launch {

    private final CompletableFuture<RunResult> result;

    private final Supplier<Optional<Long>> runId;

    private final LongSupplier executions;

    private final long executionsBefore;

    Launch(CompletableFuture<RunResult> result, Supplier<Optional<Long>> runId, LongSupplier executions,
            long executionsBefore) {
        this.result = result;
        this.runId = runId;
        this.executions = executions;
        this.executionsBefore = executionsBefore;
    }

    /** Waits up to {@code timeout} for the run to start (or be refused). */
    public State await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (this.result.isDone()) {
                return finished();
            }
            Optional<Long> id = this.runId.get();
            if (id.isPresent() && this.executions.getAsLong() > this.executionsBefore) {
                return new Started(id.get());
            }
            if (System.nanoTime() > deadline) {
                return new Starting();
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return new Starting();
            }
        }
    }

    /** The run's result once it has ended. */
    public CompletableFuture<RunResult> result() {
        return this.result;
    }

    private State finished() {
        try {
            RunResult done = this.result.get();
            return (done.summary() != null) ? new Started(done.summary().runId()) : new Refused(done.exitCode(),
                    done.message());
        }
        catch (ExecutionException ex) {
            return new Refused(ExitCodes.FAILED, "The run could not start: " + ex.getCause().getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Starting();
        }
    }

    /** Where a launch stands. */
    public sealed interface State permits Started, Refused, Starting {
    }

    /** The run started (and may have finished already). */
    public record Started(long runId) implements State {
    }

    /**
     * Nothing was run: the file was unreadable or refused, or the run is going on elsewhere.
     *
     * @param exitCode the CLI's exit code for the same situation
     * @param message why, in the operator's words
     */
    public record Refused(int exitCode, String message) implements State {

        /** True when the same run is going on right now (in this or another process). */
        public boolean busy() {
            return this.exitCode == ExitCodes.FAILED;
        }

    }

    /** Still starting when we stopped waiting. */
    public record Starting() implements State {
    }

}
