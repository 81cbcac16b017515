package dev.bulkoffboarding.web;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who may do what, endpoint by endpoint: anonymous, viewer and operator; CSRF on the forms; no
 * caching of pages and downloads; problem details for the API's 401 and 403.
 */
@ServeContext
class ServeSecurityIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    RunService runs;

    /** One run for all tests (the context is shared too). */
    static Long sharedRunId;

    long runId;

    @BeforeEach
    void aRun() {
        if (sharedRunId == null) {
            sharedRunId = this.runs.run(RunRequest.of(Path.of("sample-data/offboarding-sample.csv"))
                .withLabel("security tests")
                .withDedup(false)).summary().runId();
        }
        this.runId = sharedRunId;
    }

    // ---- anonymous

    @Test
    void anonymousPagesRedirectToTheLogin() throws Exception {
        for (String page : new String[] { "/runs", "/runs/" + this.runId, "/upload", "/inbox",
                "/runs/" + this.runId + "/failures.csv" }) {
            this.mvc.perform(get(page)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        }
    }

    @Test
    void theLoginPageIsOpenAndCarriesACsrfToken() throws Exception {
        this.mvc.perform(get("/login"))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("name=\"_csrf\"")));
    }

    @Test
    void anonymousApiCallsGetA401ProblemWithoutABrowserPrompt() throws Exception {
        for (String path : new String[] { "/api/runs", "/api/runs/" + this.runId, "/api/runs/" + this.runId + "/rows",
                "/api/inbox", "/actuator/prometheus", "/actuator/metrics" }) {
            MvcResult result = this.mvc.perform(get(path))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.status").value(401))
                .andReturn();
            assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).as(path).isNull();
        }
        this.mvc.perform(post("/api/runs/" + this.runId + "/restart")).andExpect(status().isUnauthorized());
    }

    @Test
    void healthIsOpenButShowsNoDetailsToAnonymous() throws Exception {
        this.mvc.perform(get("/actuator/health"))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.status").value("UP"))
            .andExpect(jsonPath("$.components").doesNotExist());
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        this.mvc.perform(get("/api/runs").with(httpBasic(ServeContext.OPERATOR, "wrong")))
            .andExpect(status().isUnauthorized());
        this.mvc.perform(post("/login").with(csrf()).param("username", ServeContext.OPERATOR).param("password", "wrong"))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrlPattern("/login?error*"));
    }

    @Test
    void theFormLoginWorksWithTheConfiguredHash() throws Exception {
        this.mvc.perform(post("/login").with(csrf())
                .param("username", ServeContext.VIEWER)
                .param("password", ServeContext.VIEWER_PASSWORD))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrl("/runs"));
    }

    @Test
    void theLoginFormNeedsItsCsrfToken() throws Exception {
        this.mvc.perform(post("/login").param("username", ServeContext.VIEWER).param("password", ServeContext.VIEWER_PASSWORD))
            .andExpect(status().isForbidden());
    }

    // ---- viewer

    @Test
    void aViewerReadsEveryPage() throws Exception {
        for (String page : new String[] { "/runs", "/runs/" + this.runId, "/runs/" + this.runId + "?outcome=attention",
                "/inbox", "/upload" }) {
            this.mvc.perform(get(page).with(user(ServeContext.VIEWER).roles("VIEWER"))).andExpect(status().isOk());
        }
    }

    @Test
    void aViewerReadsTheApiWithBasicAuthentication() throws Exception {
        this.mvc.perform(get("/api/runs").with(httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD)))
            .andExpect(status().isOk());
        this.mvc.perform(get("/api/runs/" + this.runId + "/rows").with(httpBasic(ServeContext.VIEWER,
                ServeContext.VIEWER_PASSWORD))).andExpect(status().isOk());
        this.mvc.perform(get("/api/inbox").with(httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD)))
            .andExpect(status().isOk());
        this.mvc.perform(get("/actuator/prometheus").with(httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD)))
            .andExpect(status().isOk());
    }

    @Test
    void aViewerDownloadsReports() throws Exception {
        this.mvc.perform(get("/runs/" + this.runId + "/results.csv").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(status().isOk());
        this.mvc.perform(get("/api/runs/" + this.runId + "/failures.csv")
                .with(httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD)))
            .andExpect(status().isOk());
    }

    @Test
    void aViewerMayNotChangeAnything() throws Exception {
        var viewer = user(ServeContext.VIEWER).roles("VIEWER");
        this.mvc.perform(multipart("/upload").file(sampleFile()).with(viewer).with(csrf())).andExpect(status().isForbidden());
        this.mvc.perform(post("/runs/" + this.runId + "/restart").with(viewer).with(csrf())).andExpect(status().isForbidden());
        this.mvc.perform(post("/inbox/check").with(viewer).with(csrf())).andExpect(status().isForbidden());
        this.mvc.perform(post("/uploads/x/run").with(viewer).with(csrf())).andExpect(status().isForbidden());
        var basic = httpBasic(ServeContext.VIEWER, ServeContext.VIEWER_PASSWORD);
        this.mvc.perform(multipart("/api/runs").file(sampleFile()).with(basic))
            .andExpect(status().isForbidden())
            .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
            .andExpect(jsonPath("$.status").value(403));
        this.mvc.perform(post("/api/runs/" + this.runId + "/restart").with(basic)).andExpect(status().isForbidden());
        this.mvc.perform(post("/api/inbox/check").with(basic)).andExpect(status().isForbidden());
    }

    @Test
    void aViewerSeesNoOperatorButtons() throws Exception {
        this.mvc.perform(get("/runs").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("check-inbox"))));
    }

    // ---- operator

    @Test
    void anOperatorUploadsWithTheFormsCsrfToken() throws Exception {
        var operator = user(ServeContext.OPERATOR).roles("VIEWER", "OPERATOR");
        this.mvc.perform(multipart("/upload").file(sampleFile()).with(operator)).andExpect(status().isForbidden());
        this.mvc.perform(multipart("/upload").file(sampleFile()).with(operator).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrlPattern("/uploads/*"));
    }

    @Test
    void formsNeedTheirCsrfTokenEvenForAnOperator() throws Exception {
        var operator = user(ServeContext.OPERATOR).roles("VIEWER", "OPERATOR");
        this.mvc.perform(post("/runs/" + this.runId + "/restart").with(operator)).andExpect(status().isForbidden());
        this.mvc.perform(post("/inbox/check").with(operator)).andExpect(status().isForbidden());
        this.mvc.perform(post("/logout").with(operator)).andExpect(status().isForbidden());
    }

    @Test
    void theApiTakesNoSessionCookieSoNeedsNoCsrfToken() throws Exception {
        // a logged-in browser session does not authenticate an API call: only Basic does
        MvcResult login = this.mvc.perform(post("/login").with(csrf())
                .param("username", ServeContext.OPERATOR)
                .param("password", ServeContext.OPERATOR_PASSWORD))
            .andReturn();
        var session = (org.springframework.mock.web.MockHttpSession) login.getRequest().getSession();
        this.mvc.perform(post("/api/runs/" + this.runId + "/restart").session(session))
            .andExpect(status().isUnauthorized());
        this.mvc.perform(post("/api/runs/" + this.runId + "/restart")
                .with(httpBasic(ServeContext.OPERATOR, ServeContext.OPERATOR_PASSWORD)))
            .andExpect(status().isConflict());
    }

    // ---- caching and headers

    @Test
    void pagesAndDownloadsWithPersonalDataAreNotStored() throws Exception {
        var viewer = user(ServeContext.VIEWER).roles("VIEWER");
        for (String path : new String[] { "/runs", "/runs/" + this.runId, "/runs/" + this.runId + "/results.csv",
                "/runs/" + this.runId + "/failures.csv" }) {
            this.mvc.perform(get(path).with(viewer))
                .andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, org.hamcrest.Matchers.containsString("no-store")));
        }
        this.mvc.perform(get("/api/runs/" + this.runId + "/rows").with(httpBasic(ServeContext.VIEWER,
                ServeContext.VIEWER_PASSWORD)))
            .andExpect(header().string(HttpHeaders.CACHE_CONTROL, org.hamcrest.Matchers.containsString("no-store")));
    }

    @Test
    void pagesForbidFramingAndForeignScripts() throws Exception {
        this.mvc.perform(get("/runs").with(user(ServeContext.VIEWER).roles("VIEWER")))
            .andExpect(header().string("X-Frame-Options", "DENY"))
            .andExpect(header().string("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'self'")));
    }

    static MockMultipartFile sampleFile() throws Exception {
        return new MockMultipartFile("file", "offboarding-sample.csv", "text/csv",
                Files.readAllBytes(Path.of("sample-data/offboarding-sample.csv")));
    }

}
