package dev.bulkoffboarding.web;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.LocalFileDetector;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.selenium.BrowserWebDriverContainer;
import org.testcontainers.utility.DockerImageName;

import static org.assertj.core.api.Assertions.fail;

/**
 * The headless Chromium of the e2e suite: Testcontainers' browser container when a Docker engine
 * exists, otherwise the Chromium and ChromeDriver found on the PATH. Never a download: the driver
 * is always given to Selenium, so Selenium Manager never goes looking for one, and a machine with
 * neither fails with what to install instead of skipping.
 */
final class HeadlessChromium implements AutoCloseable {

    /** The names Debian, Ubuntu and Google give the browser. */
    static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");

    static final String DRIVER = "chromedriver";

    /** The standalone image of the Selenium release in pom.xml (selenium.version). */
    static final DockerImageName IMAGE = DockerImageName.parse("selenium/standalone-chromium:4.52.0");

    /** Where Chrome saves downloads inside the container. */
    static final String CONTAINER_DOWNLOADS = "/home/seluser/Downloads";

    private final WebDriver driver;

    private final String baseUrl;

    private final BrowserWebDriverContainer container;

    private final Path downloads;

    private HeadlessChromium(WebDriver driver, String baseUrl, BrowserWebDriverContainer container, Path downloads) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.container = container;
        this.downloads = downloads;
    }

    /** A browser that reaches the application on {@code port} of this machine and saves downloads to {@code downloads}. */
    static HeadlessChromium start(int port, Path downloads) {
        return DockerClientFactory.instance().isDockerAvailable() ? inContainer(port) : local(port, downloads);
    }

    private static HeadlessChromium inContainer(int port) {
        // the container reaches this machine's port through Testcontainers' host gateway
        Testcontainers.exposeHostPorts(port);
        BrowserWebDriverContainer container = new BrowserWebDriverContainer(IMAGE);
        container.start();
        RemoteWebDriver driver = new RemoteWebDriver(container.getSeleniumAddress(), options(CONTAINER_DOWNLOADS));
        // a file typed into an upload field is on this machine: send it to the container's browser
        driver.setFileDetector(new LocalFileDetector());
        System.out.println("The browser test runs in Testcontainers' " + IMAGE.asCanonicalNameString());
        return new HeadlessChromium(driver, "http://host.testcontainers.internal:" + port, container, null);
    }

    private static HeadlessChromium local(int port, Path downloads) {
        Optional<Path> browser = BROWSERS.stream().map(HeadlessChromium::onPath).flatMap(Optional::stream).findFirst();
        Optional<Path> driver = onPath(DRIVER);
        List<String> missing = new ArrayList<>();
        if (browser.isEmpty()) {
            missing.add("Chromium (none of " + String.join(", ", BROWSERS) + ")");
        }
        if (driver.isEmpty()) {
            missing.add("ChromeDriver (" + DRIVER + ")");
        }
        if (!missing.isEmpty()) {
            fail("The e2e suite needs a browser: there is no Docker engine for Testcontainers' browser container, "
                    + "and " + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " not on the PATH (" + System.getenv("PATH")
                    + "). Install them (apt-get install chromium chromium-driver; .ci/run does) or start Docker. "
                    + "This test fails rather than skips.");
        }
        // which browser ran is worth a line in the build log
        System.out.println("The browser test runs " + browser.get() + " with " + driver.get());
        ChromeOptions options = options(downloads.toString());
        options.setBinary(browser.get().toFile());
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(driver.get().toFile())
            .usingAnyFreePort()
            .build();
        return new HeadlessChromium(new ChromeDriver(service, options), "http://127.0.0.1:" + port, null, downloads);
    }

    private static ChromeOptions options(String downloadDirectory) {
        ChromeOptions options = new ChromeOptions();
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,1024");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloadDirectory,
                "download.prompt_for_download", false));
        return options;
    }

    static Optional<Path> onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return Optional.of(Path.of(directory, program));
            }
        }
        return Optional.empty();
    }

    WebDriver driver() {
        return this.driver;
    }

    /** The address of {@code path} of the application, as this browser reaches it. */
    String url(String path) {
        return this.baseUrl + path;
    }

    /** The text of a finished download, empty while it is absent or still being written. */
    Optional<String> download(String fileName) {
        try {
            if (this.container == null) {
                Path file = this.downloads.resolve(fileName);
                return (Files.exists(file) && !Files.exists(this.downloads.resolve(fileName + ".crdownload")))
                        ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
            }
            String file = CONTAINER_DOWNLOADS + "/" + fileName;
            if (this.container.execInContainer("test", "-f", file).getExitCode() != 0
                    || this.container.execInContainer("test", "-e", file + ".crdownload").getExitCode() == 0) {
                return Optional.empty();
            }
            return Optional.of(this.container.copyFileFromContainer(file,
                    (in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not read the download " + fileName, ex);
        }
    }

    @Override
    public void close() {
        try {
            this.driver.quit();
        }
        finally {
            if (this.container != null) {
                this.container.stop();
            }
        }
    }

}
