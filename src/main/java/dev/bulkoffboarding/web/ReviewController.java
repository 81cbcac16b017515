package dev.bulkoffboarding.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import dev.bulkoffboarding.job.RunEvidence;
import dev.bulkoffboarding.job.RunService;
import jakarta.servlet.http.HttpServletResponse;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.schedule.InboxLog;
import dev.bulkoffboarding.schedule.InboxSchedule;
import dev.bulkoffboarding.schedule.Launch;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The review pages: runs, a run's rows, its reports, restart, and the inbox. */
@Controller
@ConditionalOnWebApplication
class ReviewController {

    private final RunActions actions;

    private final RunQueries queries;

    private final RunService runs;

    private final InboxLog inboxLog;

    private final InboxSchedule schedule;

    private final WebProperties properties;

    private final RunEvidence evidence;

    ReviewController(RunActions actions, RunQueries queries, RunService runs, InboxLog inboxLog,
            InboxSchedule schedule, WebProperties properties, RunEvidence evidence) {
        this.actions = actions;
        this.queries = queries;
        this.runs = runs;
        this.inboxLog = inboxLog;
        this.schedule = schedule;
        this.properties = properties;
        this.evidence = evidence;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/runs";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/runs")
    String runs(@RequestParam(defaultValue = "50") int limit, Model model) {
        model.addAttribute("runs", this.actions.runs(Math.max(1, Math.min(limit, 1000))));
        model.addAttribute("nextPass", this.schedule.nextScheduledPass().orElse(null));
        model.addAttribute("inboxFiles", this.inboxLog.recent(5));
        return "runs";
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable long id, @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String q, @RequestParam(name = "vendor_status", required = false)
            String vendorStatus, @RequestParam(defaultValue = "false") boolean stalled,
            @RequestParam(defaultValue = "0") int page, Model model, HttpServletResponse response) {
        RunView run = this.actions.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "There is no run " + id + "."));
        Set<RowState> outcomes;
        try {
            outcomes = Outcomes.parse(outcome);
        }
        catch (RunActionException ex) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
        }
        Map<RowState, Long> counts = new EnumMap<>(RowState.class);
        counts.putAll(this.queries.counts(id));
        model.addAttribute("run", run);
        if (run.running()) {
            // the page follows a run in progress until it ends
            response.setHeader("Refresh", "2");
        }
        model.addAttribute("counts", counts);
        model.addAttribute("outcome", (outcome == null) ? "" : outcome);
        model.addAttribute("q", (q == null) ? "" : q);
        RunQueries.RowFilter filter = new RunQueries.RowFilter(outcomes, q, vendorStatus, stalled);
        model.addAttribute("vendorStatus", (filter.vendorStatus() == null) ? "" : filter.vendorStatus());
        model.addAttribute("stalled", stalled);
        model.addAttribute("rows", this.queries.rows(id, filter, Math.max(0, page), this.properties.pageSize()));
        model.addAttribute("reports", Files.isRegularFile(this.runs.reportDirectory(id).resolve("results.csv")));
        model.addAttribute("inboxFile", this.inboxLog.failedFileOfRun(id).orElse(null));
        return "run";
    }

    @GetMapping({ "/runs/{id}/results.csv", "/api/runs/{id}/results.csv" })
    ResponseEntity<Resource> results(@PathVariable long id) {
        return report(id, "results.csv");
    }

    @GetMapping({ "/runs/{id}/failures.csv", "/api/runs/{id}/failures.csv" })
    ResponseEntity<Resource> failures(@PathVariable long id) {
        return report(id, "failures.csv");
    }

    /**
     * evidence.csv, written afresh from what was recorded (it is also what {@code report RUN_ID
     * --evidence} writes).
     */
    @GetMapping({ "/runs/{id}/evidence.csv", "/api/runs/{id}/evidence.csv" })
    ResponseEntity<Resource> evidence(@PathVariable long id) {
        if (this.actions.find(id).isEmpty() || this.evidence.write(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no run " + id + ".");
        }
        return report(id, RunEvidence.FILE_NAME);
    }

    @PostMapping("/runs/{id}/restart")
    String restart(@PathVariable long id, RedirectAttributes flash) {
        try {
            Launch.State state = this.actions.restart(id);
            flash.addFlashAttribute("notice", (state instanceof Launch.Started) ? "Run " + id + " restarted."
                    : "Run " + id + " is restarting.");
        }
        catch (RunActionException ex) {
            flash.addFlashAttribute("problem", ex.getMessage());
        }
        return "redirect:/runs/" + id;
    }

    @GetMapping("/inbox")
    String inbox(Model model) {
        model.addAttribute("inboxDir", this.schedule.inboxDirectory().toAbsolutePath().normalize());
        model.addAttribute("cron", this.schedule.cron());
        model.addAttribute("nextPass", this.schedule.nextScheduledPass().orElse(null));
        model.addAttribute("lastPass", this.schedule.lastPass().orElse(null));
        model.addAttribute("pending", this.schedule.passPending());
        model.addAttribute("files", this.inboxLog.recent(100));
        return "inbox";
    }

    @PostMapping("/inbox/check")
    String checkInbox(RedirectAttributes flash) {
        if (this.schedule.triggerNow()) {
            flash.addFlashAttribute("notice", "Checking the inbox now: the runs appear below as they start.");
        }
        else {
            flash.addFlashAttribute("problem", "An inbox check is already waiting or going on.");
        }
        return "redirect:/inbox";
    }

    private ResponseEntity<Resource> report(long id, String name) {
        if (this.actions.find(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no run " + id + ".");
        }
        Path file = this.runs.reportDirectory(id).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Run " + id + " has no " + name + " (yet).");
        }
        try {
            return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .contentLength(Files.size(file))
                // personal data: never kept by a browser or a proxy
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                    .filename("run-" + id + "-" + name)
                    .build()
                    .toString())
                .body(new FileSystemResource(file));
        }
        catch (IOException ex) {
            throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR, "Cannot read " + name, ex);
        }
    }

}
