package dev.bulkoffboarding.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.RunRecord;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A run as the review UI and the REST API show it.
 *
 * @param runId the run's id
 * @param kind RUN, or VALIDATE for a preflight
 * @param fileName the input file's name
 * @param fileSha256 its SHA-256
 * @param label the label of a deliberate re-run
 * @param trigger CLI, SCHEDULE or UPLOAD
 * @param sandbox whether requests went to the built-in sandbox
 * @param status the job's status
 * @param exitCode the CLI's exit code for this run
 * @param startedAt when its last execution started
 * @param finishedAt when that ended
 * @param totalRecords CSV records read
 * @param outcomes rows per outcome
 * @param actionTypes valid rows per action type
 * @param wipes rows that wipe a device
 * @param newRecipients rows that hand a device to someone new
 * @param message why it stopped or failed, when it did
 * @param tracking what the vendor did with the actions since: statuses, completed, stalled, wipes
 * done
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record RunView(long runId, String kind, String fileName, String fileSha256, String label, String trigger,
        boolean sandbox, String status, int exitCode, Instant startedAt, Instant finishedAt, long totalRecords,
        Map<String, Long> outcomes, Map<String, Long> actionTypes, long wipes, long newRecipients, String message,
        VendorProgress tracking) {

    static RunView of(RunRecord run, RunSummary summary, VendorProgress tracking) {
        return new RunView(summary.runId(), summary.kind(), summary.fileName(), summary.fileSha256(), summary.label(),
                run.trigger(), summary.sandbox(), summary.status(), summary.exitCode(), summary.startedAt(),
                summary.finishedAt(), summary.totalRecords(), summary.outcomes(), summary.actionTypes(),
                summary.wipes(), summary.newRecipients(), summary.message(),
                (tracking != null) ? tracking : VendorProgress.NONE);
    }

    /**
     * The runs list's bar: our outcomes over the run's records, then the vendor's progress over
     * the actions we created. Widths in percent; a part of nothing is no bar.
     */
    public List<Bar.Part> outcomeBar() {
        return Bar.of(this.totalRecords, List.of(
                new Bar.Part("submitted", "submitted", count("SUBMITTED")),
                new Bar.Part("already", "already submitted", count("ALREADY_SUBMITTED")),
                new Bar.Part("retry", "to retry", toRetry() + count("HELD")),
                new Bar.Part("attention", "need attention", needAttention() + count("UNCONFIRMED"))));
    }

    /** The vendor's part of the bar: completed, in progress, stalled, closed. */
    public List<Bar.Part> vendorBar() {
        return Bar.of(this.tracking.actions(), List.of(
                new Bar.Part("completed", "completed", this.tracking.completed()),
                new Bar.Part("moving", "in progress", this.tracking.inProgress()),
                new Bar.Part("stalled", "stalled", this.tracking.stalled()),
                new Bar.Part("closed", "closed", this.tracking.closed())));
    }

    long count(String outcome) {
        return this.outcomes.getOrDefault(outcome, 0L);
    }

    /** Rows a person has to look at. */
    public long needAttention() {
        return count("INVALID") + count("DUPLICATE") + count("REJECTED");
    }

    /** Rows a restart would still work on. */
    public long toRetry() {
        return count("FAILED") + count("SUBMITTING");
    }

    public boolean running() {
        return "STARTING".equals(this.status) || "STARTED".equals(this.status) || "STOPPING".equals(this.status);
    }

    /** Whether an operator may restart it (the run service decides for good). */
    public boolean restartable() {
        return "RUN".equals(this.kind) && !running() && !("COMPLETED".equals(this.status) && this.exitCode != 1);
    }

    /** A horizontal bar of parts, drawn as SVG rectangles (no inline style: the pages' CSP forbids it). */
    static final class Bar {

        private Bar() {
        }

        static List<Part> of(long total, List<Part> parts) {
            List<Part> placed = new ArrayList<>();
            if (total <= 0) {
                return placed;
            }
            double x = 0;
            for (Part part : parts) {
                if (part.count() > 0) {
                    double width = 100.0 * part.count() / total;
                    placed.add(part.at(x, width));
                    x += width;
                }
            }
            return placed;
        }

        /**
         * One part of a bar.
         *
         * @param kind its CSS class suffix
         * @param label what it counts
         * @param count how many
         * @param x where it starts, in percent
         * @param width its width, in percent
         */
        record Part(String kind, String label, long count, double x, double width) {

            Part(String kind, String label, long count) {
                this(kind, label, count, 0, 0);
            }

            Part at(double x, double width) {
                return new Part(this.kind, this.label, this.count, x, width);
            }

            /** "12 submitted": the part's tooltip. */
            public String title() {
                return this.count + " " + this.label;
            }

        }

    }

}
