package dev.bulkoffboarding.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.bulkoffboarding.BulkOffboardingApplication;
import dev.bulkoffboarding.sandbox.SandboxServer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Runs the application as its command line does, with a database, data and report folders of the
 * test's own, and either the built-in sandbox or a vendor of the test's (to count what reached it).
 */
final class Cli {

    private final Path dir;

    private final String database;

    private final List<String> options = new ArrayList<>();

    private final List<Class<?>> sources = new ArrayList<>(List.of(BulkOffboardingApplication.class));

    Cli(Path dir) {
        this.dir = dir;
        this.database = "jdbc:h2:file:" + dir.resolve("data").resolve("bulk-offboarding") + ";AUTO_SERVER=TRUE";
        this.options.add("--spring.datasource.url=" + this.database);
        this.options.add("--offboarding.data-dir=" + dir.resolve("data"));
        this.options.add("--offboarding.reports-dir=" + reports());
        this.options.add("--sandbox.latency=0ms");
        this.options.add("--quipteams.settle-delay=10ms");
        // a maybe-sent request is looked up after response timeout + settle delay: keep both short
        this.options.add("--quipteams.connect-timeout=1s");
        this.options.add("--quipteams.response-timeout=2s");
        this.options.add("--quipteams.initial-backoff=10ms");
        this.options.add("--quipteams.max-backoff=50ms");
        this.options.add("--quipteams.requests-per-minute=60000");
        // these tests assert what the first POSTs do; CliIntegrationTests keeps the default preflight
        this.options.add("--offboarding.preflight.enabled=false");
    }

    /** Requests go to this vendor with this key instead of the built-in sandbox. */
    Cli vendor(SandboxServer vendor, String apiKey) {
        this.options.add("--quipteams.base-url=" + vendor.baseUri());
        this.options.add("--quipteams.api-key=" + apiKey);
        return this;
    }

    /** A Spring property for every command, e.g. {@code --offboarding.input.max-rows=5}. */
    Cli with(String option) {
        this.options.add(option);
        return this;
    }

    /** An additional configuration class, e.g. one that replaces a bean. */
    Cli source(Class<?> configuration) {
        this.sources.add(configuration);
        return this;
    }

    String databaseUrl() {
        return this.database;
    }

    Path dataDir() {
        return this.dir.resolve("data");
    }

    Path reports() {
        return this.dir.resolve("reports");
    }

    /** Runs one command to its end and returns its exit code. */
    int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(this.options);
        if (this.options.stream().noneMatch((option) -> option.startsWith("--quipteams.api-key="))) {
            all.add("--quipteams.api-key=");
        }
        // A command line is one application per JVM; here the test JVM may still hold another
        // test's context, and Spring Boot configures Logback once while one is alive. Without this,
        // this command's logging settings (offboarding.logging.mask-personal-data) would not apply.
        LoggingSystem.get(Cli.class.getClassLoader()).cleanUp();
        return SpringApplication.exit(SpringApplication.run(this.sources.toArray(Class<?>[]::new),
                all.toArray(String[]::new)));
    }

    static String uniquePrefix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

}
