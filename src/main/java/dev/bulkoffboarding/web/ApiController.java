package dev.bulkoffboarding.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.schedule.InboxFile;
import dev.bulkoffboarding.schedule.InboxLog;
import dev.bulkoffboarding.schedule.InboxSchedule;
import dev.bulkoffboarding.schedule.Launch;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The REST API (JSON, HTTP Basic): runs, their rows, uploads, restarts and the inbox. Errors are
 * RFC 9457 problem details (see {@link ApiExceptionHandler}).
 */
@RestController
@RequestMapping("/api")
@ConditionalOnWebApplication
class ApiController {

    private final RunActions actions;

    private final RunQueries queries;

    private final InboxLog inboxLog;

    private final InboxSchedule schedule;

    private final WebProperties properties;

    ApiController(RunActions actions, RunQueries queries, InboxLog inboxLog, InboxSchedule schedule,
            WebProperties properties) {
        this.actions = actions;
        this.queries = queries;
        this.inboxLog = inboxLog;
        this.schedule = schedule;
        this.properties = properties;
    }

    @GetMapping("/runs")
    List<RunView> runs(@RequestParam(defaultValue = "50") int limit) {
        return this.actions.runs(Math.max(1, Math.min(limit, 1000)));
    }

    @GetMapping("/runs/{id}")
    RunView run(@PathVariable long id) {
        return this.actions.run(id);
    }

    @GetMapping("/runs/{id}/rows")
    RowsView rows(@PathVariable long id, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String q, @RequestParam(name = "vendor_status", required = false)
            String vendorStatus, @RequestParam(defaultValue = "false") boolean stalled,
            @RequestParam(defaultValue = "0") int page, @RequestParam(required = false) Integer size) {
        this.actions.run(id);
        int pageSize = Math.max(1, Math.min((size != null) ? size : this.properties.pageSize(), 1000));
        RunQueries.RowFilter filter = new RunQueries.RowFilter(Outcomes.parse(outcome), q, vendorStatus, stalled);
        RunQueries.RowPage rows = this.queries.rows(id, filter, Math.max(0, page), pageSize);
        return new RowsView(id, rows.page(), rows.size(), rows.total(), rows.pages(), rows.rows());
    }

    /**
     * Uploads a file and runs it. It is validated first: a file that cannot be run is refused
     * (400), and a file with wipes runs only when {@code wipes} repeats their number (else 422,
     * with the preflight's counts).
     */
    @PostMapping(path = "/runs", consumes = "multipart/form-data")
    ResponseEntity<LaunchView> upload(@RequestPart("file") MultipartFile file,
            @RequestParam(required = false) Long wipes, java.security.Principal user) throws IOException {
        Uploads.Upload upload;
        try (InputStream content = file.getInputStream()) {
            upload = this.actions.preflight(file.getOriginalFilename(), content);
        }
        RunResult preflight = upload.preflight();
        if (preflight.summary() == null) {
            throw new RunActionException(HttpStatus.BAD_REQUEST, preflight.message());
        }
        try {
            return accepted(this.actions.confirm(upload, wipes, user.getName()));
        }
        catch (RunActionException ex) {
            RunSummary summary = preflight.summary();
            throw ex.with("preflight", Map.of("total_records", summary.totalRecords(), "outcomes", summary.outcomes(),
                    "action_types", summary.actionTypes(), "wipes", summary.wipes(), "new_recipients",
                    summary.newRecipients(), "validation_run_id", summary.runId()));
        }
    }

    @PostMapping("/runs/{id}/restart")
    ResponseEntity<LaunchView> restart(@PathVariable long id) {
        return accepted(this.actions.restart(id));
    }

    @GetMapping("/inbox")
    InboxView inbox(@RequestParam(defaultValue = "50") int limit) {
        return new InboxView(this.schedule.cron(), this.schedule.nextScheduledPass().map(Object::toString).orElse(null),
                this.schedule.passPending(), this.inboxLog.recent(Math.max(1, Math.min(limit, 1000))));
    }

    /** Checks the inbox now (the manual trigger). */
    @PostMapping("/inbox/check")
    ResponseEntity<Map<String, Object>> checkInbox() {
        if (!this.schedule.triggerNow()) {
            throw new RunActionException(HttpStatus.CONFLICT, "An inbox check is already waiting or going on.");
        }
        return ResponseEntity.accepted().body(Map.of("accepted", true));
    }

    private ResponseEntity<LaunchView> accepted(Launch.State state) {
        if (state instanceof Launch.Started started) {
            return ResponseEntity.accepted()
                .location(URI.create("/api/runs/" + started.runId()))
                .body(new LaunchView(started.runId(), "started", this.actions.find(started.runId()).orElse(null)));
        }
        return ResponseEntity.accepted().body(new LaunchView(null, "starting", null));
    }

    /**
     * A run that was started (or is still starting).
     *
     * @param runId its id, once known
     * @param state {@code started} or {@code starting}
     * @param run the run as it is now
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LaunchView(Long runId, String state, RunView run) {
    }

    /**
     * A page of a run's rows.
     *
     * @param runId the run
     * @param page the page number, from 0
     * @param size rows per page
     * @param total rows matching the filter
     * @param pages pages in all
     * @param rows this page
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RowsView(long runId, int page, int size, long total, int pages, List<RunQueries.RowView> rows) {
    }

    /**
     * The inbox: its schedule and what became of recent files.
     *
     * @param cron the schedule
     * @param nextPass when it fires next
     * @param checkPending whether a check waits or goes on in this instance
     * @param files recent files, newest first
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record InboxView(String cron, String nextPass, boolean checkPending, List<InboxFile> files) {
    }

}
