package dev.bulkoffboarding.web;

import java.io.IOException;
import java.io.InputStream;

import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.schedule.Launch;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;

/**
 * Upload, preflight, confirm: an uploaded file is validated first (nothing is sent), the operator
 * reads the problems and the counts, and only an explicit confirmation runs it; with wipes, only
 * once the operator has typed their number.
 */
@Controller
@ConditionalOnWebApplication
class UploadController {

    /** Problems listed on the preflight page; the rest are in the validation's failures.csv. */
    static final int PROBLEMS_SHOWN = 200;

    private final RunActions actions;

    private final RunQueries queries;

    UploadController(RunActions actions, RunQueries queries) {
        this.actions = actions;
        this.queries = queries;
    }

    @GetMapping("/upload")
    String form() {
        return "upload";
    }

    @PostMapping("/upload")
    String upload(@RequestParam("file") MultipartFile file, Model model) throws IOException {
        if (file.isEmpty()) {
            model.addAttribute("problem", "Choose a CSV file to upload.");
            return "upload";
        }
        Uploads.Upload upload;
        try (InputStream content = file.getInputStream()) {
            upload = this.actions.preflight(file.getOriginalFilename(), content);
        }
        return "redirect:/uploads/" + upload.id();
    }

    @GetMapping("/uploads/{id}")
    String preflight(@PathVariable String id, Model model, HttpServletResponse response) {
        Uploads.Upload upload = upload(id);
        if (upload.launch() != null) {
            return status(upload, upload.launch().await(java.time.Duration.ZERO), model, response);
        }
        return preflightPage(upload, model);
    }

    @PostMapping("/uploads/{id}/run")
    String confirm(@PathVariable String id, @RequestParam(required = false) String wipes, Model model,
            HttpServletResponse response, java.security.Principal user) {
        Uploads.Upload upload = upload(id);
        Long typed;
        try {
            typed = (wipes == null || wipes.isBlank()) ? null : Long.valueOf(wipes.trim());
        }
        catch (NumberFormatException ex) {
            typed = null;
        }
        try {
            return status(upload, this.actions.confirm(upload, typed, user.getName()), model, response);
        }
        catch (RunActionException ex) {
            model.addAttribute("problem", ex.getMessage());
            return (upload.launch() != null)
                    ? status(upload, upload.launch().await(java.time.Duration.ZERO), model, response)
                    : preflightPage(upload, model);
        }
    }

    private String preflightPage(Uploads.Upload upload, Model model) {
        RunResult preflight = upload.preflight();
        model.addAttribute("upload", upload);
        model.addAttribute("preflight", preflight);
        if (preflight.summary() != null) {
            long validation = preflight.summary().runId();
            model.addAttribute("validation", this.actions.find(validation).orElse(null));
            model.addAttribute("problems",
                    this.queries.rows(validation, RunQueries.NEEDS_ATTENTION, null, 0, PROBLEMS_SHOWN));
            model.addAttribute("completedRun", this.actions.completedRunOf(upload).orElse(null));
        }
        return "preflight";
    }

    private String status(Uploads.Upload upload, Launch.State state, Model model, HttpServletResponse response) {
        if (state instanceof Launch.Started started) {
            return "redirect:/runs/" + started.runId();
        }
        model.addAttribute("upload", upload);
        if (state instanceof Launch.Refused refused) {
            model.addAttribute("problem", refused.message());
        }
        else {
            response.setHeader("Refresh", "2");
        }
        return "starting";
    }

    private Uploads.Upload upload(String id) {
        return this.actions.upload(id)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "This upload is unknown or "
                    + "expired: upload the file again."));
    }

}
