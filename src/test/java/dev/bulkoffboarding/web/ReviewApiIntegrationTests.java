package dev.bulkoffboarding.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.WipeConfirmation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The REST API and the review pages at work, against the sandbox: listing, rows with filters,
 * search and pages, downloads, uploads with their preflight and wipe confirmation, restarts, and
 * problem details for each refusal.
 */
@ServeContext
// Uploads must carry the operator's typed number of wipes through to the run itself.
@TestPropertySource(properties = "offboarding.wipes.require-confirmation=true")
class ReviewApiIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
            + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
            + "notification_emails";

    @Autowired
    MockMvc mvc;

    @Autowired
    RunService runs;

    @TempDir
    Path dir;

    final RequestPostProcessor viewer = httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD);

    final RequestPostProcessor operator = httpBasic(ServeContext.OPERATOR, ServeContext.OPERATOR_PASSWORD);

    static Long sampleRun;

    @BeforeEach
    void theSampleHasRun() {
        if (sampleRun == null) {
            sampleRun = this.runs.run(RunRequest.of(Path.of("sample-data/offboarding-sample.csv"))
                .withLabel("review tests")
                .withDedup(false)
                .withWipes(WipeConfirmation.implicitly("a test fixture run against the sandbox")))
                .summary()
                .runId();
        }
    }

    @Test
    void listsRunsWithTriggerStatusAndCounts() throws Exception {
        this.mvc.perform(get("/api/runs").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[?(@.run_id == " + sampleRun + ")].trigger").value("CLI"))
            .andExpect(jsonPath("$[?(@.run_id == " + sampleRun + ")].status").value("COMPLETED"))
            .andExpect(jsonPath("$[?(@.run_id == " + sampleRun + ")].sandbox").value(true))
            .andExpect(jsonPath("$[?(@.run_id == " + sampleRun + ")].outcomes.SUBMITTED").value(26))
            .andExpect(jsonPath("$[?(@.run_id == " + sampleRun + ")].outcomes.REJECTED").value(1));
    }

    @Test
    void showsOneRun() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun).with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.run_id").value(sampleRun))
            .andExpect(jsonPath("$.file_name").value("offboarding-sample.csv"))
            .andExpect(jsonPath("$.total_records").value(32))
            .andExpect(jsonPath("$.wipes").isNumber())
            .andExpect(jsonPath("$.started_at").isString());
    }

    @Test
    void anUnknownRunIsA404Problem() throws Exception {
        this.mvc.perform(get("/api/runs/999999").with(this.viewer))
            .andExpect(status().isNotFound())
            .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
            .andExpect(jsonPath("$.detail").value("There is no run 999999."))
            .andExpect(jsonPath("$.instance").value("/api/runs/999999"));
        this.mvc.perform(post("/api/runs/999999/restart").with(this.operator))
            .andExpect(status().isNotFound())
            .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        this.mvc.perform(get("/runs/999999").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isNotFound());
    }

    @Test
    void filtersRowsByOutcome() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?outcome=attention").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.total").value(6))
            .andExpect(jsonPath("$.rows[0].line").value(28))
            .andExpect(jsonPath("$.rows[0].outcome").value("INVALID"))
            .andExpect(jsonPath("$.rows[0].error_message").value(containsString("current_user_email is required")));
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?outcome=REJECTED").with(this.viewer))
            .andExpect(jsonPath("$.total").value(1))
            .andExpect(jsonPath("$.rows[0].line").value(33))
            .andExpect(jsonPath("$.rows[0].error_code").value("NOT_FOUND"))
            .andExpect(jsonPath("$.rows[0].http_status").value(404));
    }

    @Test
    void submittedRowsCarryTheVendorsActionId() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?outcome=submitted&size=5").with(this.viewer))
            .andExpect(jsonPath("$.total").value(26))
            .andExpect(jsonPath("$.rows", hasSize(5)))
            .andExpect(jsonPath("$.rows[0].action_id").value(startsWith("DA-")))
            .andExpect(jsonPath("$.rows[0].attempts").value(1));
    }

    @Test
    void anUnknownOutcomeIsA400Problem() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?outcome=LOST").with(this.viewer))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
            .andExpect(jsonPath("$.detail").value(containsString("Unknown outcome 'LOST'")));
    }

    @Test
    void searchesBySerialNumberOrEmail() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?q=c02x9876").with(this.viewer))
            .andExpect(jsonPath("$.rows[*].serial_number").value(org.hamcrest.Matchers.everyItem(
                    org.hamcrest.Matchers.equalToIgnoringCase("C02X9876WXYZ"))))
            .andExpect(jsonPath("$.rows[0].line").value(2));
        // line 32 repeats line 3 (a DUPLICATE)
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?q=Maria.Garcia@northwind.example").with(this.viewer))
            .andExpect(jsonPath("$.total").value(2))
            .andExpect(jsonPath("$.rows[*].line").value(org.hamcrest.Matchers.contains(3, 32)))
            .andExpect(jsonPath("$.rows[*].serial_number").value(org.hamcrest.Matchers.everyItem(
                    org.hamcrest.Matchers.is("FVFXC2ABQ6L4"))));
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?q=%25").with(this.viewer))
            .andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void pagesThroughRowsInLineOrder() throws Exception {
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?page=3&size=10").with(this.viewer))
            .andExpect(jsonPath("$.total").value(32))
            .andExpect(jsonPath("$.pages").value(4))
            .andExpect(jsonPath("$.rows", hasSize(2)))
            .andExpect(jsonPath("$.rows[1].line").value(34));
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?page=0&size=10").with(this.viewer))
            .andExpect(jsonPath("$.rows", hasSize(10)))
            .andExpect(jsonPath("$.rows[0].line").value(2));
    }

    @Test
    void theRunPageShowsFiltersSearchAndPages() throws Exception {
        var viewer = user(ServeContext.VIEWER).roles("VIEWER");
        this.mvc.perform(get("/runs/" + sampleRun + "?outcome=attention").with(viewer))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("Need attention")))
            .andExpect(content().string(containsString("NOT_FOUND")))
            .andExpect(content().string(containsString("6 rows")));
        this.mvc.perform(get("/runs/" + sampleRun).with(viewer))
            .andExpect(content().string(containsString("id=\"next-page\"")))
            .andExpect(content().string(containsString("SANDBOX")));
    }

    @Test
    void downloadsTheReportsAsAttachments() throws Exception {
        MvcResult failures = this.mvc.perform(get("/runs/" + sampleRun + "/failures.csv")
                .with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andExpect(header().string(HttpHeaders.CONTENT_DISPOSITION, containsString("attachment")))
            .andExpect(header().string(HttpHeaders.CONTENT_TYPE, startsWith("text/csv")))
            .andReturn();
        String csv = failures.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv.lines()).hasSize(7);
        assertThat(csv).contains("REJECTED (line 33)");
        this.mvc.perform(get("/api/runs/" + sampleRun + "/results.csv").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(content().string(startsWith("line,serial_number,action_type,outcome,action_id")));
    }

    @Test
    void aCompletedRunCannotBeRestarted() throws Exception {
        this.mvc.perform(post("/api/runs/" + sampleRun + "/restart").with(this.operator))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.detail").value(containsString("completed")));
    }

    @Test
    void anUploadWithWipesNeedsTheirNumber() throws Exception {
        // given
        MockMultipartFile file = csvFile(row("WIPE-" + UUID.randomUUID(), "Store", "true"),
                row("KEEP-" + UUID.randomUUID(), "Retrieval", "false"));

        // when / then: without the number, nothing runs and the preflight says why
        this.mvc.perform(multipart("/api/runs").file(file).with(this.operator))
            .andExpect(status().isUnprocessableContent())
            .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
            .andExpect(jsonPath("$.wipes").value(1))
            .andExpect(jsonPath("$.preflight.action_types.Store").value(1))
            .andExpect(jsonPath("$.preflight.outcomes.VALID").value(2));
        this.mvc.perform(multipart("/api/runs").file(file).param("wipes", "2").with(this.operator))
            .andExpect(status().isUnprocessableContent());

        // with it, the run starts
        MvcResult started = this.mvc.perform(multipart("/api/runs").file(file).param("wipes", "1").with(this.operator))
            .andExpect(status().isAccepted())
            .andExpect(header().string(HttpHeaders.LOCATION, startsWith("/api/runs/")))
            .andExpect(jsonPath("$.state").value("started"))
            .andReturn();
        String location = started.getResponse().getHeader(HttpHeaders.LOCATION);
        awaitStatus(location, "COMPLETED");
        this.mvc.perform(get(location).with(this.viewer))
            .andExpect(jsonPath("$.trigger").value("UPLOAD"))
            .andExpect(jsonPath("$.outcomes.SUBMITTED").value(2));

        // and the same file again is refused
        this.mvc.perform(multipart("/api/runs").file(file).param("wipes", "1").with(this.operator))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.detail").value(containsString("already run completely")));
    }

    @Test
    void anUnreadableUploadIsA400Problem() throws Exception {
        MockMultipartFile file = new MockMultipartFile("file", "bad.csv", "text/csv",
                "Serial,Name\nC02X,John\n".getBytes(StandardCharsets.UTF_8));
        this.mvc.perform(multipart("/api/runs").file(file).with(this.operator))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").value(containsString("action_type")));
    }

    @Test
    void theUploadPageShowsThePreflightThenRunsOnlyOnConfirmation() throws Exception {
        // given
        var operator = user(ServeContext.OPERATOR).roles("VIEWER", "OPERATOR");
        String wiped = "W-" + UUID.randomUUID();
        MockMultipartFile file = csvFile(row(wiped, "Store", "yes"), row("R-" + UUID.randomUUID(), "Reassign", "no"),
                row("A-" + UUID.randomUUID(), "Retrieval", "no"), row("B-" + UUID.randomUUID(), "Retrieval", "no"),
                row("C-" + UUID.randomUUID(), "Retrieval", "no"), row("", "Store", "no"));

        // when: uploaded
        MvcResult uploaded = this.mvc.perform(multipart("/upload").file(file).with(operator).with(csrf()))
            .andExpect(redirectedUrlPattern("/uploads/*"))
            .andReturn();
        String page = uploaded.getResponse().getRedirectedUrl();

        // then: the preflight, and no run yet
        String preflight = this.mvc.perform(get(page).with(operator))
            .andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(preflight).contains("id=\"wipes\">1<").contains("id=\"reassignments\">1<")
            .contains("Reassign 1").contains("Retrieval 3").contains("serial_number is required").contains("id=\"confirm-wipes\"");
        this.mvc.perform(get("/api/runs/" + sampleRun + "/rows?q=" + wiped).with(this.viewer))
            .andExpect(jsonPath("$.total").value(0));

        // a wrong number of wipes does not run it
        this.mvc.perform(post(page + "/run").param("wipes", "3").with(operator).with(csrf()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("type that number to confirm")));

        // the right one does
        MvcResult confirmed = this.mvc.perform(post(page + "/run").param("wipes", "1").with(operator).with(csrf()))
            .andExpect(redirectedUrlPattern("/runs/*"))
            .andReturn();
        String runPath = confirmed.getResponse().getRedirectedUrl();
        awaitStatus("/api" + runPath, "COMPLETED");
        this.mvc.perform(get("/api" + runPath).with(this.viewer))
            .andExpect(jsonPath("$.outcomes.SUBMITTED").value(5))
            .andExpect(jsonPath("$.outcomes.INVALID").value(1));
    }

    @Test
    void aFailedRunIsRestartedFromItsPage() throws Exception {
        // given: a run whose file went away before a restart (a restart reads it again)
        Path file = this.dir.resolve("vanishing.csv");
        Files.writeString(file, HEADER + "\r\n" + row("GONE-" + UUID.randomUUID(), "Retrieval", "no") + "\r\n");
        long failed = this.runs.run(RunRequest.of(file).withCanary(0L)).summary().runId();
        Files.delete(file);

        // when
        this.mvc.perform(post("/api/runs/" + failed + "/restart").with(this.operator))
            // then
            .andExpect(status().isUnprocessableContent())
            .andExpect(jsonPath("$.detail").value(containsString("Cannot read")));
    }

    @Test
    void metricsCountRowsByOutcomeAndVendorRequests() throws Exception {
        // given: a run started through serve
        MvcResult started = this.mvc.perform(multipart("/api/runs")
                .file(csvFile(row("M-" + UUID.randomUUID(), "Retrieval", "no"), row("M-" + UUID.randomUUID(), "Retrieval",
                        "no")))
                .with(this.operator))
            .andExpect(status().isAccepted())
            .andReturn();
        awaitStatus(started.getResponse().getHeader(HttpHeaders.LOCATION), "COMPLETED");

        // when
        String metrics = this.mvc.perform(get("/actuator/prometheus").with(this.viewer))
            .andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        // then
        assertThat(metrics).containsPattern("offboarding_rows_total\\{[^}]*outcome=\"SUBMITTED\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("offboarding_runs_total\\{[^}]*status=\"COMPLETED\"[^}]*trigger=\"UPLOAD\"");
        assertThat(metrics).containsPattern("http_client_requests_seconds_count\\{[^}]*status=\"201\"");
        assertThat(metrics).contains("quipteams_rate_limited_total", "quipteams_bucket_wait_seconds_total",
                "quipteams_rate", "quipteams_requests_in_flight");
    }

    @Test
    void healthShowsTheDatabaseTheInboxAndTheVendorToAUser() throws Exception {
        this.mvc.perform(get("/actuator/health").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.components.db.status").value("UP"))
            .andExpect(jsonPath("$.components.inbox.status").value("UP"))
            .andExpect(jsonPath("$.components.vendor.status").value("UP"))
            .andExpect(jsonPath("$.components.vendor.details.sandbox").value(true));
    }

    void awaitStatus(String location, String expected) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String status = null;
        while (System.nanoTime() < deadline) {
            status = com.jayway.jsonpath.JsonPath.read(this.mvc.perform(get(location).with(this.viewer))
                .andReturn().getResponse().getContentAsString(), "$.status");
            if (expected.equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(expected);
    }

    static String row(String serial, String action, String wipe) {
        boolean recipient = "Reassign".equals(action) || "Assign".equals(action);
        return serial + "," + action + ",Jane Roe,jane.roe@example.com,Spain,Calle Mayor 1,," + (recipient
                ? "Sam New,sam.new@example.com" : ",") + "," + wipe + ",,";
    }

    static MockMultipartFile csvFile(String... rows) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.addAll(List.of(rows));
        return new MockMultipartFile("file", "upload-" + UUID.randomUUID() + ".csv", "text/csv",
                (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

}
