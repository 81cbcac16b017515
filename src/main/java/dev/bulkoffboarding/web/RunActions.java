package dev.bulkoffboarding.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.job.WipeConfirmation;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RunRecord;
import dev.bulkoffboarding.schedule.BackgroundRuns;
import dev.bulkoffboarding.schedule.Launch;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What the review UI and the REST API do to runs, in one place: look them up, preflight an upload,
 * start it once confirmed, restart a run. Refusals are {@link RunActionException}s that carry their
 * HTTP status.
 */
@Component
@ConditionalOnWebApplication
class RunActions {

    /** How long a request waits for a run it started to be known by its id. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    private final RunService runs;

    private final Ledger ledger;

    private final BackgroundRuns background;

    private final Uploads uploads;

    private final RunQueries queries;

    RunActions(RunService runs, Ledger ledger, BackgroundRuns background, Uploads uploads, RunQueries queries) {
        this.runs = runs;
        this.ledger = ledger;
        this.background = background;
        this.uploads = uploads;
        this.queries = queries;
    }

    List<RunView> runs(int limit) {
        List<RunService.RunOverview> overviews = this.runs.runs(limit);
        Map<Long, VendorProgress> progress = this.queries.progress(
                overviews.stream().map((overview) -> overview.run().id()).toList());
        return overviews.stream()
            .map((overview) -> RunView.of(overview.run(), overview.summary(), progress.get(overview.run().id())))
            .toList();
    }

    RunView run(long runId) {
        return find(runId).orElseThrow(() -> notFound(runId));
    }

    Optional<RunView> find(long runId) {
        Optional<RunRecord> run = this.ledger.findRun(runId);
        return run.flatMap((record) -> this.runs.summary(runId).map((summary) -> RunView.of(record, summary,
                this.queries.progress(runId))));
    }

    /** Stores an upload and validates it; nothing is sent. */
    Uploads.Upload preflight(String fileName, InputStream content) throws IOException {
        Uploads.Upload upload = this.uploads.store(fileName, content);
        upload.preflight(this.runs.validate(upload.file()));
        return upload;
    }

    Optional<Uploads.Upload> upload(String id) {
        return this.uploads.find(id);
    }

    /** The completed run of the same content, if there is one: running it again is refused. */
    Optional<RunSummary> completedRunOf(Uploads.Upload upload) {
        RunSummary preflight = upload.preflight().summary();
        return (preflight == null) ? Optional.empty() : this.background.completedRunOf(preflight.fileSha256());
    }

    /**
     * Starts the run of a preflighted upload.
     * @param typedWipes what the operator typed as the number of wipes (required when there are any)
     * @param user the logged-in user who confirmed it, recorded with the run for its evidence
     */
    Launch.State confirm(Uploads.Upload upload, Long typedWipes, String user) {
        RunResult preflight = upload.preflight();
        if (preflight == null || preflight.summary() == null) {
            throw new RunActionException(HttpStatus.BAD_REQUEST, "This file cannot be run: "
                    + ((preflight != null) ? preflight.message() : "it was not validated"));
        }
        long wipes = preflight.summary().wipes();
        if (wipes > 0 && (typedWipes == null || typedWipes != wipes)) {
            throw new RunActionException(HttpStatus.UNPROCESSABLE_CONTENT, "This file wipes " + wipes + " device"
                    + ((wipes == 1) ? "" : "s") + ": type that number to confirm.").with("wipes", wipes);
        }
        completedRunOf(upload).ifPresent((done) -> {
            throw new RunActionException(HttpStatus.CONFLICT, "This file was already run completely as run "
                    + done.runId() + ". Nothing was sent again.").with("run_id", done.runId());
        });
        // The typed number goes to the run itself, which checks it again against what it would send.
        WipeConfirmation confirmation = (wipes > 0) ? WipeConfirmation.expecting(wipes) : WipeConfirmation.none();
        if (!upload.launch(() -> this.background.start(upload.file(), null, confirmation, user))) {
            throw new RunActionException(HttpStatus.CONFLICT, "This upload was confirmed already.");
        }
        return started(upload.launch().await(START_WAIT));
    }

    /** Restarts a failed or stopped run. */
    Launch.State restart(long runId) {
        RunView run = run(runId);
        if (!"RUN".equals(run.kind())) {
            throw notFound(runId);
        }
        if ("COMPLETED".equals(run.status()) && run.exitCode() != 1) {
            throw new RunActionException(HttpStatus.CONFLICT, "Run " + runId + " completed: there is nothing to "
                    + "restart.");
        }
        return started(this.background.restart(runId).await(START_WAIT));
    }

    private static Launch.State started(Launch.State state) {
        if (state instanceof Launch.Refused refused) {
            throw new RunActionException(refused.busy() ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT,
                    refused.message());
        }
        return state;
    }

    static RunActionException notFound(long runId) {
        return new RunActionException(HttpStatus.NOT_FOUND, "There is no run " + runId + ".");
    }

}
