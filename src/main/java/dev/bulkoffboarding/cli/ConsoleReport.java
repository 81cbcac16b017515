package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService.RunOverview;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;

import org.springframework.stereotype.Component;

/** Formats results for the terminal: short, with the one line a script or a person looks for. */
@Component
class ConsoleReport {

    private final Ledger ledger;

    ConsoleReport(Ledger ledger) {
        this.ledger = ledger;
    }

    int print(PrintWriter out, RunResult result) {
        // Input warnings (encoding fallback, ignored columns) are logged by the stage step.
        RunSummary s = result.summary();
        if (s == null) {
            out.println(result.message());
            out.flush();
            return result.exitCode();
        }
        if (s.sandbox()) {
            out.println("*** " + RunSummary.SANDBOX_NOTICE + " ***");
        }
        String verb = "VALIDATE".equals(s.kind()) ? "Validation" : "Run";
        out.printf(Locale.ROOT, "%s %d of %s: %s%s%n", verb, s.runId(), s.fileName(), s.status(),
                (s.durationSeconds() == null) ? "" : String.format(Locale.ROOT, " in %.1f s", s.durationSeconds()));
        out.printf(Locale.ROOT, "  %d records: %s%n", s.totalRecords(), counts(s.outcomes()));
        if (!s.actionTypes().isEmpty()) {
            out.printf(Locale.ROOT, "  actions: %s; wipes: %d; new recipients: %d%n",
                    s.actionTypes().entrySet().stream().map((e) -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")), s.wipes(), s.newRecipients());
        }
        if (result.message() != null) {
            out.println("  " + result.message());
        }
        if (s.count("HELD") > 0) {
            printHeld(out, s.runId(), 20);
        }
        printNotices(out, s.runId(), 20);
        if (result.reportDirectory() != null) {
            out.println("  reports: " + result.reportDirectory() + " (results.csv, failures.csv, summary.json)");
        }
        long attention = RowState.NEEDING_ATTENTION.stream().mapToLong((state) -> s.count(state.name())).sum();
        if ("VALIDATE".equals(s.kind())) {
            out.printf(Locale.ROOT, "Validation %d %s: %d valid, %d need attention (exit %d: %s)%n", s.runId(),
                    s.status().toLowerCase(Locale.ROOT), s.count("VALID"), attention, result.exitCode(),
                    meaning(result.exitCode()));
        }
        else {
            String held = (s.count("HELD") > 0) ? ", " + s.count("HELD") + " held by other runs" : "";
            out.printf(Locale.ROOT, "Run %d %s: %d submitted, %d need attention, %d to retry%s (exit %d: %s)%n",
                    s.runId(), s.status().toLowerCase(Locale.ROOT), s.count("SUBMITTED"), attention,
                    s.count("FAILED") + s.count("SUBMITTING"), held, result.exitCode(), meaning(result.exitCode()));
        }
        out.flush();
        return result.exitCode();
    }

    /** What a run that stopped before sending would do: printed before the operator confirms it. */
    void printPlan(PrintWriter out, RunSummary s) {
        if (s.sandbox()) {
            out.println("*** " + RunSummary.SANDBOX_NOTICE + " ***");
        }
        out.printf(Locale.ROOT, "Run %d of %s is ready to send; nothing was sent yet.%n", s.runId(), s.fileName());
        out.printf(Locale.ROOT, "  %d records: %s%n", s.totalRecords(), counts(s.outcomes()));
        out.printf(Locale.ROOT, "  actions: %s; wipes: %d; new recipients: %d%n",
                s.actionTypes().entrySet().stream().map((e) -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")), s.wipes(), s.newRecipients());
        out.flush();
    }

    /** The rows another run holds, each with what to do about it: the run is not finished without them. */
    private void printHeld(PrintWriter out, long runId, int limit) {
        int[] printed = { 0 };
        this.ledger.forEachRow(runId, Set.of(RowState.HELD), (row) -> {
            if (printed[0]++ < limit) {
                out.printf(Locale.ROOT, "  line %d: %s: %s%n", row.line(), row.serialNumber(), row.errorMessage());
            }
        });
        if (printed[0] > limit) {
            out.printf(Locale.ROOT, "  ... and %d more held rows (see results.csv, or 'devices')%n",
                    printed[0] - limit);
        }
    }

    /** Warnings that did not stop their row (the inventory names another holder than the file). */
    private void printNotices(PrintWriter out, long runId, int limit) {
        int[] printed = { 0 };
        this.ledger.forEachNotice(runId, (row) -> {
            if (printed[0]++ < limit) {
                out.printf(Locale.ROOT, "  line %d: %s: warning: %s%n", row.line(), row.serialNumber(), row.notice());
            }
        });
        if (printed[0] > limit) {
            out.printf(Locale.ROOT, "  ... and %d more warnings (see results.csv)%n", printed[0] - limit);
        }
    }

    void printProblems(PrintWriter out, long runId, int limit) {
        int[] printed = { 0 };
        this.ledger.forEachRow(runId, RowState.NEEDING_ATTENTION, (row) -> {
            if (printed[0]++ < limit) {
                String message = (row.errorCode() != null) ? row.errorCode() + ": " + row.errorMessage()
                        : row.errorMessage();
                out.printf(Locale.ROOT, "line %d: %s: %s%n", row.line(), row.state(), message);
            }
        });
        if (printed[0] > limit) {
            out.printf(Locale.ROOT, "... and %d more (see failures.csv)%n", printed[0] - limit);
        }
        out.flush();
    }

    void printRuns(PrintWriter out, List<RunOverview> runs) {
        if (runs.isEmpty()) {
            out.println("No runs yet.");
        }
        out.printf(Locale.ROOT, "%-6s %-20s %-10s %-8s %s%n", "RUN", "STARTED", "STATUS", "RECORDS", "FILE / COUNTS");
        for (RunOverview run : runs) {
            RunSummary s = run.summary();
            out.printf(Locale.ROOT, "%-6d %-20s %-10s %-8d %s%s%n    %s%n", s.runId(),
                    (s.startedAt() == null) ? "" : s.startedAt().toString().substring(0, 19).replace('T', ' '),
                    s.status(), s.totalRecords(), s.fileName(), s.sandbox() ? " (sandbox)" : "", counts(s.outcomes()));
        }
        out.flush();
    }

    private static String counts(Map<String, Long> outcomes) {
        String text = outcomes.entrySet().stream()
            .filter((e) -> e.getValue() > 0)
            .map((e) -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
        return text.isEmpty() ? "none" : text;
    }

    private static String meaning(int exitCode) {
        return switch (exitCode) {
            case ExitCodes.OK -> "all good";
            case ExitCodes.FAILED -> "run the same command again to finish";
            case ExitCodes.NEEDS_ATTENTION -> "some rows need a person, see failures.csv";
            default -> "nothing was done";
        };
    }

}
