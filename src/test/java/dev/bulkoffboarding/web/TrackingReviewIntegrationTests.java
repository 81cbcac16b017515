package dev.bulkoffboarding.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.WipeConfirmation;
import dev.bulkoffboarding.quipteams.VendorState;
import dev.bulkoffboarding.report.EvidenceWriter;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What people see of the vendor's progress once tracking has recorded it: each row's status and
 * tracking link on the run page (only safe links, escaped), the filter by vendor status and
 * stalled, the runs list's "n of m completed, k wipes done" and its bar, the REST fields, and
 * evidence.csv. The vendor's states are recorded through {@link TrackedActions#apply} as a refresh
 * or a webhook would.
 */
@ServeContext
class TrackingReviewIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
            + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
            + "notification_emails";

    @Autowired
    MockMvc mvc;

    @Autowired
    RunService runs;

    @Autowired
    TrackedActions tracked;

    @TempDir
    Path dir;

    final RequestPostProcessor viewer = httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD);

    long runId;

    Instant now;

    Map<Long, TrackedAction> byLine;

    @BeforeEach
    void aRunWhoseActionsTheVendorMoved() throws Exception {
        // given: four devices sent (two of them wiped), and what the vendor said since
        String prefix = "TRK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        Path file = this.dir.resolve("tracked.csv");
        Files.writeString(file, String.join("\r\n", HEADER, row(prefix + "A", "Store", "true"),
                row(prefix + "B", "Retrieval", "true"), row(prefix + "C", "Store", "false"),
                row(prefix + "D", "Retrieval", ""), ""), StandardCharsets.UTF_8);
        this.runId = this.runs.run(RunRequest.of(file)
            .withLabel("tracking " + prefix)
            .withWipes(WipeConfirmation.expecting(2))).summary().runId();
        this.byLine = new java.util.HashMap<>();
        this.tracked.forRun(this.runId).forEach((action) -> this.byLine.put(action.lineNumber(), action));
        assertThat(this.byLine).hasSize(4);
        this.now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // line 2: completed and wiped, with a tracking link
        apply(2, "Completed", Map.of("In Progress", this.now.minus(Duration.ofDays(3)), "Completed", this.now),
                "1Z999AA1", "https://track.example.com/1Z999AA1?lang=en&x=1", true, this.now);
        // line 3: shipped ten days ago and not heard of since: stalled; its "link" is a script and its code a formula
        apply(3, "In Transit", Map.of(), "=HYPERLINK(\"http://evil.example\")", "javascript:alert(1)", false,
                this.now.minus(Duration.ofDays(10)));
        // line 4: on its way, with a link whose quotes must stay inside its attribute
        apply(4, "In Transit", Map.of(), "1Z999AA4", "https://track.example.com/?q='x'", null, this.now);
        // line 5: never refreshed: the status from the create response
    }

    @Test
    void theRunPageShowsEachRowsVendorStatusWithASafeTrackingLink() throws Exception {
        String page = this.mvc.perform(get("/runs/" + this.runId).with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString()
            .replaceAll("\\s+", " ");

        assertThat(vendorStatuses(page)).containsExactly("Completed", "In Transit", "In Transit", "In Progress");
        assertThat(page).contains("<a href=\"https://track.example.com/1Z999AA1?lang=en&amp;x=1\" "
                + "class=\"tracking-link\" target=\"_blank\" rel=\"noopener noreferrer\">1Z999AA1</a>");
        // a script is no link, and the vendor's text cannot leave its attribute
        assertThat(page).doesNotContain("javascript:alert");
        assertThat(page).contains("<a href=\"https://track.example.com/?q=&#39;x&#39;\" class=\"tracking-link\"");
        assertThat(page).contains("=HYPERLINK(&quot;http://evil.example&quot;)");
        assertThat(page).contains("1 of 4 completed, 1 wipe done").contains("1 stalled");
        assertThat(page).contains("id=\"download-evidence\"");
    }

    @Test
    void theRunPageFiltersByVendorStatusAndStalled() throws Exception {
        String inTransit = this.mvc
            .perform(get("/runs/" + this.runId).param("vendor_status", "in transit")
                .with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
        assertThat(vendorStatuses(inTransit)).containsExactly("In Transit", "In Transit");
        assertThat(inTransit).contains("2 rows");

        String stalled = this.mvc
            .perform(get("/runs/" + this.runId).param("stalled", "true").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
        assertThat(vendorStatuses(stalled)).containsExactly("In Transit");
        assertThat(stalled).contains("1 rows").contains("stalled-badge");
    }

    @Test
    void theRunsListTellsHowFarTheVendorGotWithABar() throws Exception {
        String page = this.mvc.perform(get("/runs").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
        assertThat(page).contains("1 of 4 completed, 1 wipe done");
        // our outcomes (all four submitted), then the vendor's: completed, moving, stalled
        assertThat(page).contains("<title>4 submitted</title>", "<title>1 completed</title>",
                "<title>2 in progress</title>", "<title>1 stalled</title>");
        assertThat(page).doesNotContain("style=");
    }

    @Test
    void theRestApiGivesTheSameFields() throws Exception {
        this.mvc.perform(get("/api/runs/" + this.runId + "/rows").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.rows[0].vendor_status").value("Completed"))
            .andExpect(jsonPath("$.rows[0].tracking_code").value("1Z999AA1"))
            .andExpect(jsonPath("$.rows[0].tracking_link").value("https://track.example.com/1Z999AA1?lang=en&x=1"))
            .andExpect(jsonPath("$.rows[0].wipe_completed").value(true))
            .andExpect(jsonPath("$.rows[0].updated_at").value(this.now.toString()))
            .andExpect(jsonPath("$.rows[0].last_checked_at").isString())
            .andExpect(jsonPath("$.rows[0].stalled").value(false))
            .andExpect(jsonPath("$.rows[1].stalled").value(true))
            .andExpect(jsonPath("$.rows[1].unchanged_since").value(this.now.minus(Duration.ofDays(10)).toString()))
            .andExpect(jsonPath("$.rows[3].vendor_status").value("In Progress"))
            .andExpect(jsonPath("$.rows[3].last_checked_at").value(nullValue()))
            .andExpect(jsonPath("$.rows[3].wipe_completed").value(nullValue()));
        this.mvc.perform(get("/api/runs/" + this.runId + "/rows?vendor_status=IN TRANSIT").with(this.viewer))
            .andExpect(jsonPath("$.total").value(2))
            .andExpect(jsonPath("$.rows[*].line", contains(3, 4)));
        this.mvc.perform(get("/api/runs/" + this.runId + "/rows?stalled=true").with(this.viewer))
            .andExpect(jsonPath("$.total").value(1))
            .andExpect(jsonPath("$.rows[0].line").value(3));
        this.mvc.perform(get("/api/runs/" + this.runId).with(this.viewer))
            .andExpect(jsonPath("$.tracking.actions").value(4))
            .andExpect(jsonPath("$.tracking.completed").value(1))
            .andExpect(jsonPath("$.tracking.stalled").value(1))
            .andExpect(jsonPath("$.tracking.in_progress").value(2))
            .andExpect(jsonPath("$.tracking.wipes_requested").value(2))
            .andExpect(jsonPath("$.tracking.wipes_completed").value(1))
            .andExpect(jsonPath("$.tracking.statuses['In Transit']").value(2))
            .andExpect(jsonPath("$.tracking.last_checked_at").isString());
        this.mvc.perform(get("/api/runs").with(this.viewer))
            .andExpect(jsonPath("$[?(@.run_id == " + this.runId + ")].tracking.completed").value(1));
    }

    @Test
    void evidenceNamesEveryDeviceItsActionWhoStartedAndHowWipesWereConfirmed() throws Exception {
        String csv = this.mvc.perform(get("/runs/" + this.runId + "/evidence.csv")
            .with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk())
            .andExpect(header().string("Content-Disposition", containsString("run-" + this.runId + "-evidence.csv")))
            .andExpect(header().string("Cache-Control", containsString("no-store")))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
        List<CSVRecord> records = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new java.io.StringReader(csv))
            .getRecords();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo(String.join(",", EvidenceWriter.HEADERS));
        assertThat(records).hasSize(4);
        CSVRecord wiped = records.get(0);
        assertThat(wiped.get("line")).isEqualTo("2");
        assertThat(wiped.get("serial_number")).endsWith("A");
        assertThat(wiped.get("action_type")).isEqualTo("Store");
        assertThat(wiped.get("action_id")).isEqualTo(this.byLine.get(2L).actionId()).startsWith("DA-");
        assertThat(wiped.get("started_by")).startsWith("CLI").contains("(label: tracking TRK");
        assertThat(wiped.get("wipes_confirmed")).isEqualTo("2 confirmed by the operator");
        assertThat(wiped.get("sent_at")).isEqualTo(this.byLine.get(2L).sentAt().toString());
        assertThat(wiped.get("statuses")).isEqualTo("In Progress " + this.now.minus(Duration.ofDays(3)) + "; Completed "
                + this.now);
        assertThat(wiped.get("wipe_requested")).isEqualTo("true");
        assertThat(wiped.get("wipe_completed")).isEqualTo("true");
        CSVRecord stalled = records.get(1);
        assertThat(stalled.get("wipe_completed")).isEqualTo("false");
        // a formula from the vendor stays text in a spreadsheet
        assertThat(stalled.get("tracking_code")).isEqualTo("'=HYPERLINK(\"http://evil.example\")");
        CSVRecord noWipe = records.get(2);
        assertThat(noWipe.get("wipes_confirmed")).isEqualTo("no wipe requested");
        assertThat(noWipe.get("wipe_requested")).isEqualTo("false");
        assertThat(noWipe.get("wipe_completed")).isEmpty();
        assertThat(records.get(3).get("statuses")).isEmpty();
        // the same file stays in the run's report folder
        assertThat(this.runs.reportDirectory(this.runId).resolve("evidence.csv")).hasContent(csv);
        // it is personal data: nobody without a login gets it
        this.mvc.perform(get("/api/runs/" + this.runId + "/evidence.csv")).andExpect(status().isUnauthorized());
        this.mvc.perform(get("/runs/" + this.runId + "/evidence.csv")).andExpect(status().is3xxRedirection());
        this.mvc.perform(get("/api/runs/" + this.runId + "/evidence.csv").with(this.viewer))
            .andExpect(status().isOk())
            .andExpect(content().string(csv));
    }

    @Test
    void evidenceNamesTheUserWhoUploadedTheFile() throws Exception {
        // given: a file uploaded and confirmed by the operator otto
        String serial = "UPL" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        byte[] content = String.join("\r\n", HEADER, row(serial, "Store", ""), "").getBytes(StandardCharsets.UTF_8);
        String location = this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart("/api/runs")
                .file(new org.springframework.mock.web.MockMultipartFile("file", "uploaded.csv", "text/csv", content))
                .with(httpBasic(ServeContext.OPERATOR, ServeContext.OPERATOR_PASSWORD)))
            .andExpect(status().isAccepted())
            .andReturn()
            .getResponse()
            .getHeader("Location");
        long uploaded = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        String runStatus = "";
        for (int i = 0; i < 600 && !"COMPLETED".equals(runStatus); i++) {
            Thread.sleep(100);
            runStatus = com.jayway.jsonpath.JsonPath.read(this.mvc.perform(get("/api/runs/" + uploaded).with(this.viewer))
                .andReturn()
                .getResponse()
                .getContentAsString(), "$.status");
        }
        assertThat(runStatus).isEqualTo("COMPLETED");

        // when
        String csv = this.mvc.perform(get("/api/runs/" + uploaded + "/evidence.csv").with(this.viewer))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);

        // then
        assertThat(csv.lines().skip(1).toList()).singleElement()
            .asString()
            .contains(serial, ",UPLOAD by " + ServeContext.OPERATOR + ",");
    }

    private void apply(long line, String status, Map<String, Instant> timestamps, String code, String link,
            Boolean wipeCompleted, Instant updatedAt) {
        TrackedAction action = this.byLine.get(line);
        this.tracked.apply(new VendorState(action.vendorId(), action.actionId(), status,
                new java.util.TreeMap<>(timestamps), code, link, wipeCompleted, updatedAt), TrackedActions.Source.POLL,
                Instant.now());
    }

    private static String row(String serial, String action, String wipe) {
        return serial + "," + action + ",Jane Doe,jane@example.com,,,,,," + wipe + ",,";
    }

    private static List<String> vendorStatuses(String page) {
        Matcher matcher = Pattern.compile("<span class=\"vendor-status\">([^<]*)</span>").matcher(page);
        List<String> statuses = new java.util.ArrayList<>();
        while (matcher.find()) {
            statuses.add(matcher.group(1));
        }
        return statuses;
    }

}
