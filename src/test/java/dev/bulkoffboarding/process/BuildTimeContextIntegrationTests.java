package dev.bulkoffboarding.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.support.ApplicationProcess;
import dev.bulkoffboarding.support.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jar's command-line tools start from the context prepared at build time (Spring
 * AOT) while the settings that chose it are unchanged, and the usual way otherwise: a setting a
 * condition reads, the operator's {@code -Dspring.aot.enabled=false}, and {@code serve}. Spring Boot
 * says which in its first line ("Starting AOT-processed ..."). Either way the command does its work.
 */
class BuildTimeContextIntegrationTests {

    static final String PREPARED = "Starting AOT-processed BulkOffboardingApplication";

    static final String USUAL = "Starting BulkOffboardingApplication";

    static final Path SAMPLE = Path.of("sample-data", "offboarding-sample.csv").toAbsolutePath();

    static final Duration BOUND = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void validateStartsFromThePreparedContextWithItsOwnDatabaseFile() {
        ApplicationProcess validate = validate(Map.of(), List.of());

        assertThat(validate.waitForExit(BOUND)).as(validate.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(validate.output()).contains(PREPARED).contains("27 valid, 5 need attention");
    }

    @Test
    void postgresqlProfileKeepsThePreparedContext() {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Map<String, String> environment = Map.of("SPRING_PROFILES_ACTIVE", "postgres", "DATABASE_URL",
                    database.url(), "DATABASE_USER", database.username(), "DATABASE_PASSWORD", database.password());
            ApplicationProcess validate = start(environment, List.of(), "validate", SAMPLE.toString(),
                    "--offboarding.data-dir=" + this.dir.resolve("data"),
                    "--offboarding.reports-dir=" + this.dir.resolve("reports"));

            assertThat(validate.waitForExit(BOUND)).as(validate.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
            assertThat(validate.output()).contains(PREPARED)
                .contains("profile is active: \"postgres\"")
                .contains("27 valid, 5 need attention");
        }
    }

    @Test
    void aSettingThatAConditionReadsStartsTheUsualWay() {
        // read by Spring Boot's JMX condition at build time, absent then; here as an environment variable
        ApplicationProcess validate = validate(Map.of("SPRING_JMX_ENABLED", "false"),
                List.of("--logging.level.dev.bulkoffboarding.BuildTimeContext=debug"));

        assertThat(validate.waitForExit(BOUND)).as(validate.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(validate.output()).doesNotContain(PREPARED)
            .contains(USUAL)
            .contains("Starting without the definitions prepared at build time: [spring.jmx.enabled] differ from the build")
            .contains("27 valid, 5 need attention");
    }

    @Test
    void theOperatorCanSwitchItOff() {
        ApplicationProcess validate = start(Map.of(), List.of("-Dspring.aot.enabled=false"), "validate",
                SAMPLE.toString(), "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db"),
                "--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports"));

        assertThat(validate.waitForExit(BOUND)).as(validate.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(validate.output()).doesNotContain(PREPARED).contains(USUAL);
    }

    @Test
    void serveStartsTheUsualWay() throws InterruptedException {
        try (ApplicationProcess serve = start(Map.of(), List.of(), "serve", "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db"),
                "--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports"),
                "--offboarding.inbox.dir=" + this.dir.resolve("inbox"),
                "--offboarding.web.upload-dir=" + this.dir.resolve("uploads"), "--offboarding.schedule.cron=-")) {
            ServeShutdownIntegrationTests.awaitServing(serve);

            assertThat(serve.output()).doesNotContain(PREPARED).contains(USUAL);
        }
    }

    @Test
    void theJarRecordsTheSettingsThatChoseItsBeans() throws IOException {
        Properties recorded = new Properties();
        try (JarFile jar = new JarFile(Path.of("target", "bulk-offboarding.jar").toFile());
                InputStream in = jar.getInputStream(
                        jar.getEntry("META-INF/bulk-offboarding/build-time-context.properties"))) {
            recorded.load(in);
        }

        assertThat(recorded).containsEntry("spring.datasource.url", "present")
            .containsEntry("spring.flyway.enabled", "absent")
            .containsEntry("offboarding.cli.enabled", "absent")
            .containsKeys("spring.main.web-application-type", "spring.autoconfigure.exclude",
                    "spring.aop.proxy-target-class")
            // read at every start by post-processors that run again, for the log, or by the listener
            // that opens the database ahead (not at build time): not by conditions
            .doesNotContainKeys("spring.application.pid", "offboarding.data-dir", "spring.datasource.username",
                    "spring.datasource.password");
    }

    private ApplicationProcess validate(Map<String, String> environment, List<String> more) {
        List<String> arguments = new ArrayList<>(List.of("validate", SAMPLE.toString(),
                "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db"),
                "--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports")));
        arguments.addAll(more);
        return start(environment, List.of(), arguments.toArray(String[]::new));
    }

    private ApplicationProcess start(Map<String, String> environment, List<String> jvmOptions, String... arguments) {
        return ApplicationProcess.start(this.dir, environment, jvmOptions, List.of(arguments));
    }

}
