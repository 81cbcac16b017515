package dev.bulkoffboarding.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.quipteams.VendorState;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's morning in a real browser (headless Chromium): log in, upload a file, read its
 * preflight, confirm with the number of wipes, watch the run finish, open it from the runs list,
 * filter the rows that need attention, download failures.csv, and see a laptop's vendor status and
 * tracking link once the vendor has shipped it. Part of the e2e suite
 * ({@code ./mvnw verify -Pe2e}): it needs a Docker engine or Chromium and ChromeDriver on the PATH
 * (see {@link HeadlessChromium}), and fails without them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=servlet", "quipteams.api-key=",
                "offboarding.web.users.otto.password=$2a$04$IE4mjKefE4JGz5d84rfaTOq8R5keYwBVXRCRVr8EfbJdY0tZ5.drC",
                "offboarding.web.users.otto.role=operator" })
@ActiveProfiles("test")
@Tag("e2e")
class BrowserIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    TrackedActions tracked;

    @TempDir
    Path downloads;

    HeadlessChromium chromium;

    WebDriver browser;

    @BeforeEach
    void startChromium() {
        this.chromium = HeadlessChromium.start(this.port, this.downloads);
        this.browser = this.chromium.driver();
    }

    @AfterEach
    void stopChromium() {
        if (this.chromium != null) {
            this.chromium.close();
        }
    }

    @Test
    void anOperatorUploadsConfirmsWatchesAndReviewsARun() throws Exception {
        // log in
        open("/runs");
        assertThat(this.browser.getCurrentUrl()).endsWith("/login");
        this.browser.findElement(By.id("username")).sendKeys(ServeContext.OPERATOR);
        this.browser.findElement(By.id("password")).sendKeys(ServeContext.OPERATOR_PASSWORD);
        navigateBy(By.id("login"));
        assertThat(this.browser.getCurrentUrl()).contains("/runs");

        // upload a file
        navigateBy(By.id("nav-upload"));
        Path sample = Path.of("sample-data/offboarding-sample.csv").toAbsolutePath();
        this.browser.findElement(By.id("file")).sendKeys(sample.toString());
        navigateBy(By.id("check"));

        // see the preflight: counts, wipes, problems by line; nothing has run yet
        assertThat(text("records")).isEqualTo("32");
        assertThat(text("action-types")).contains("Store", "Reassign");
        String wipes = text("wipes");
        assertThat(Integer.parseInt(wipes)).isPositive();
        assertThat(text("problems")).contains("28", "current_user_email is required", "DUPLICATE");
        assertThat(this.browser.findElements(By.cssSelector("a[href^='/runs/']"))).isEmpty();

        screenshot("preflight");

        // confirm by typing the number of wipes
        this.browser.findElement(By.id("confirm-wipes")).sendKeys(wipes);
        navigateBy(By.id("confirm"));

        // watch the run finish (the page refreshes itself while it runs)
        new WebDriverWait(this.browser, Duration.ofSeconds(90))
            // the refresh can replace the status between finding it and reading it
            .ignoring(StaleElementReferenceException.class)
            .until((driver) -> "COMPLETED".equals(driver.findElement(By.id("run-status")).getText()));
        String runId = text("run-id");

        // open it from the runs list
        open("/runs");
        navigateBy(By.linkText(runId));
        assertThat(text("run-status")).isEqualTo("COMPLETED");
        assertThat(this.browser.getPageSource()).contains("SANDBOX");

        // filter the failures
        navigateBy(By.id("filter-attention"));
        List<WebElement> outcomes = this.browser.findElements(By.cssSelector("#rows tbody .outcome"));
        screenshot("run-needing-attention");
        assertThat(outcomes).hasSize(6);
        assertThat(outcomes).extracting(WebElement::getText).allMatch(List.of("INVALID", "DUPLICATE", "REJECTED")::contains);

        // download failures.csv
        this.browser.findElement(By.id("download-failures")).click();
        String csv = new WebDriverWait(this.browser, Duration.ofSeconds(20))
            .until((driver) -> this.chromium.download("run-" + runId + "-failures.csv").orElse(null));
        assertThat(csv.lines()).hasSize(7);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("Serial Number,Action,").endsWith(",error");
        assertThat(csv).contains("REJECTED (line 33)", "INVALID (line 28)");

        // the vendor ships a laptop (as a refresh or a webhook records it): its status and tracking link show
        TrackedAction shipped = this.tracked.forRun(Long.parseLong(runId)).get(0);
        this.tracked.apply(new VendorState(shipped.vendorId(), shipped.actionId(), "In Transit", Map.of(), "1Z999AA10123",
                "https://track.example.com/1Z999AA10123", null, Instant.now()), TrackedActions.Source.POLL,
                Instant.now());
        open("/runs/" + runId + "?vendor_status=In%20Transit");
        assertThat(this.browser.findElements(By.cssSelector("#rows tbody .vendor-status")))
            .extracting(WebElement::getText)
            .containsExactly("In Transit");
        WebElement link = this.browser.findElement(By.cssSelector("#rows tbody a.tracking-link"));
        assertThat(link.getText()).isEqualTo("1Z999AA10123");
        assertThat(link.getAttribute("href")).isEqualTo("https://track.example.com/1Z999AA10123");
        assertThat(link.getAttribute("rel")).isEqualTo("noopener noreferrer");
        assertThat(text("vendor-summary")).contains("of 26 completed");
        screenshot("run-with-vendor-status");

        // the runs list tells the same at a glance
        open("/runs");
        assertThat(this.browser.findElement(By.cssSelector("#runs td.progress")).getText())
            .contains("0 of 26 completed, 0 wipes done");
        assertThat(this.browser.findElements(By.cssSelector("#runs svg.bar rect.bar-submitted"))).isNotEmpty();
        screenshot("runs-with-vendor-progress");
    }

    /** Pictures of the pages for a person to look at: target/screenshots/NAME.png. */
    private void screenshot(String name) throws java.io.IOException {
        Path directory = Files.createDirectories(Path.of("target", "screenshots"));
        byte[] png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
        Files.write(directory.resolve(name + ".png"), png);
    }

    private void open(String path) {
        this.browser.get(this.chromium.url(path));
    }

    /**
     * Clicks what leads to another page and waits until that page has replaced this one. A click
     * can return before a form post (the upload) has navigated, and a busy CI machine made that
     * visible once: the next lookup ran against the old page.
     */
    private void navigateBy(By target) {
        WebElement page = this.browser.findElement(By.tagName("html"));
        this.browser.findElement(target).click();
        pageWait().until(ExpectedConditions.stalenessOf(page));
        pageWait().until((driver) -> "complete"
            .equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    private String text(String id) {
        return pageWait().withMessage(() -> "#" + id + " on " + this.browser.getCurrentUrl() + " titled '"
                + this.browser.getTitle() + "'")
            .until(ExpectedConditions.presenceOfElementLocated(By.id(id)))
            .getText()
            .trim();
    }

    private WebDriverWait pageWait() {
        return new WebDriverWait(this.browser, Duration.ofSeconds(30));
    }

}
