package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.quipteams.QuipteamsCallException;
import dev.bulkoffboarding.quipteams.SystemicFailureException;
import dev.bulkoffboarding.report.TrackingReport;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions;
import dev.bulkoffboarding.tracking.Tracker;
import dev.bulkoffboarding.tracking.Tracker.Refresh;
import dev.bulkoffboarding.tracking.TrackingProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code track [RUN_ID]}: asks the vendor where every action of a run stands now (every run with
 * open actions without an id), prints the counts by the vendor's status, the wipes completed and
 * the stalled actions, and writes {@code reports/<run>/tracking.csv}. Exits 3 when an action is
 * stalled: a person must look.
 */
@Component
@Command(name = "track", mixinStandardHelpOptions = true,
        description = { "Follow the devices a run sent: ask Quipteams where each action stands (shipped, received, "
                + "wiped), print the counts and the stalled actions, and write reports/<run>/tracking.csv.",
                "Without RUN_ID: every run with actions Quipteams has not finished.",
                "Exit code 3 when some action is stalled (unchanged for offboarding.tracking.stalled-after)." })
class TrackCommand implements Callable<Integer> {

    /** The state of an action the vendor's list has not shown us yet. */
    static final String NOT_SEEN = "(not seen yet)";

    /** Reached only when the command runs: building it builds the vendor client, which other commands skip. */
    private final ObjectProvider<Tracker> tracker;

    private final TrackedActions actions;

    private final TrackingReport report;

    private final RunService runs;

    private final ApiMode apiMode;

    @Parameters(paramLabel = "RUN_ID", arity = "0..1", description = "the run's id (see 'runs'); default: every "
            + "run with open actions")
    Long runId;

    @Spec
    CommandSpec spec;

    TrackCommand(ObjectProvider<Tracker> tracker, TrackedActions actions, TrackingReport report, RunService runs, ApiMode apiMode) {
        this.tracker = tracker;
        this.actions = actions;
        this.report = report;
        this.runs = runs;
        this.apiMode = apiMode;
    }

    @Override
    public Integer call() {
        PrintWriter out = this.spec.commandLine().getOut();
        PrintWriter err = this.spec.commandLine().getErr();
        if (this.apiMode.sandbox()) {
            out.println("*** SANDBOX — tracking the built-in sandbox's actions, not Quipteams ***");
        }
        Refresh refresh;
        try {
            refresh = (this.runId != null) ? this.tracker.getObject().refresh(this.runId) : this.tracker.getObject().refreshOpenRuns(false);
        }
        catch (IllegalArgumentException ex) {
            err.println(ex.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        catch (SystemicFailureException | QuipteamsCallException ex) {
            err.println("Could not ask Quipteams: " + ex.getMessage() + ". Nothing was changed; run 'track' again "
                    + "later.");
            err.flush();
            return ExitCodes.FAILED;
        }
        if (refresh.runIds().isEmpty()) {
            out.println("No run has actions that Quipteams has not finished: nothing to track.");
            out.flush();
            return ExitCodes.OK;
        }
        TrackingProperties properties = this.tracker.getObject().properties();
        long stalled = 0;
        for (long run : refresh.runIds()) {
            stalled += print(out, run, this.actions.forRun(run), properties, refresh.at());
        }
        if (stalled > 0) {
            out.printf(Locale.ROOT, "%d action(s) stalled: unchanged for %s or more. Look them up in Quipteams "
                    + "(exit 3: some actions need a person).%n", stalled, ConsoleDurations.format(
                            properties.stalledAfter()));
        }
        out.flush();
        return (stalled > 0) ? ExitCodes.NEEDS_ATTENTION : ExitCodes.OK;
    }

    private long print(PrintWriter out, long run, List<TrackedAction> tracked, TrackingProperties properties,
            Instant now) {
        Path file = this.report.write(this.runs.reportDirectory(run), tracked, properties, now);
        Map<String, Long> byStatus = new TreeMap<>();
        long wipes = 0;
        long wipesDone = 0;
        long completed = 0;
        for (TrackedAction action : tracked) {
            byStatus.merge((action.status() != null) ? action.status() : NOT_SEEN, 1L, Long::sum);
            if (action.wipe()) {
                wipes++;
                if (Boolean.TRUE.equals(action.wipeCompleted())) {
                    wipesDone++;
                }
            }
            if (properties.isCompleted(action.status())) {
                completed++;
            }
        }
        List<TrackedAction> stalled = tracked.stream().filter((action) -> action.isStalled(properties, now)).toList();
        out.printf(Locale.ROOT, "Run %d: %d action(s), %d completed; wipes completed: %d of %d%n", run,
                tracked.size(), completed, wipesDone, wipes);
        StringBuilder statuses = new StringBuilder("  vendor status:");
        byStatus.forEach((status, count) -> statuses.append(' ').append(status).append(' ').append(count).append(','));
        statuses.setLength(statuses.length() - (byStatus.isEmpty() ? 0 : 1));
        out.println(byStatus.isEmpty() ? "  vendor status: none" : statuses);
        if (!stalled.isEmpty()) {
            out.printf(Locale.ROOT, "  stalled: %d%n", stalled.size());
            for (TrackedAction action : stalled) {
                Instant since = action.unchangedSince();
                out.printf(Locale.ROOT, "    line %d, serial %s, action %s, %s, unchanged since %s%n",
                        action.lineNumber(), action.serialNumber(),
                        (action.actionId() != null) ? action.actionId() : action.vendorId(),
                        (action.status() != null) ? action.status() : NOT_SEEN,
                        (since != null) ? since.toString() : "unknown");
            }
        }
        out.printf(Locale.ROOT, "  report: %s%n", file);
        return stalled.size();
    }

    /** Durations as people write them in properties: 7d, 12h, 30m, 45s. */
    static final class ConsoleDurations {

        private ConsoleDurations() {
        }

        static String format(java.time.Duration duration) {
            long seconds = duration.getSeconds();
            if (seconds > 0 && seconds % 86_400 == 0) {
                return (seconds / 86_400) + "d";
            }
            if (seconds > 0 && seconds % 3600 == 0) {
                return (seconds / 3600) + "h";
            }
            if (seconds > 0 && seconds % 60 == 0) {
                return (seconds / 60) + "m";
            }
            return seconds + "s";
        }

    }

}
