package dev.bulkoffboarding;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.bulkoffboarding.quipteams.DeviceActionClient;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command-line tool builds what its command uses and nothing else (the start-up of issue 17): the
 * commands run as the CLI runs them, with the built-in sandbox and a database of the test's own, and
 * the test looks at which beans the finished command's context holds.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandLineStartupIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void validateBuildsNeitherTheQuipteamsClientNorItsWebClient(CapturedOutput output) {
        try (ConfigurableApplicationContext context = cli("validate", "sample-data/offboarding-sample.csv")) {
            assertThat(output).contains("Validation 1 completed: 27 valid, 5 need attention");
            assertThat(created(context, DeviceActionClient.class)).isEmpty();
            assertThat(created(context, WebClient.Builder.class)).isEmpty();
            assertThat(context.getBeanFactory().containsSingleton("offboardingJob")).isFalse();
        }
    }

    @Test
    void runBuildsTheQuipteamsClientWhenItsJobStarts(CapturedOutput output) {
        try (ConfigurableApplicationContext context = cli("run", "sample-data/offboarding-sample.csv",
                "--confirm-wipes", "8")) {
            assertThat(output).contains("Run 1 completed: 26 submitted, 6 need attention");
            assertThat(created(context, DeviceActionClient.class)).hasSize(1);
        }
    }

    @Test
    void aDatabaseWithEveryMigrationIsNotMigratedAgainAndANewOneIs(CapturedOutput output) throws Exception {
        // a new database: Flyway creates the schema
        try (ConfigurableApplicationContext context = cli("validate", "sample-data/offboarding-sample.csv")) {
            assertThat(created(context, Flyway.class)).hasSize(1);
        }
        // the schema is current: Flyway is not built, and the command works as before
        try (ConfigurableApplicationContext context = cli("validate", "sample-data/offboarding-sample.csv")) {
            assertThat(created(context, Flyway.class)).isEmpty();
            assertThat(output).contains("Validation 2 completed: 27 valid, 5 need attention");
        }
        // a history that differs from the jar's migrations (here: one from a newer jar) is Flyway's to judge
        try (Connection connection = DriverManager.getConnection(database(), "sa", "");
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into \"flyway_schema_history\" (\"installed_rank\", \"version\", "
                    + "\"description\", \"type\", \"script\", \"installed_by\", \"execution_time\", \"success\") "
                    + "values (99, '99', 'from a newer jar', 'SQL', 'V99__newer.sql', 'SA', 0, true)");
        }
        try (ConfigurableApplicationContext context = cli("validate", "sample-data/offboarding-sample.csv")) {
            assertThat(created(context, Flyway.class)).hasSize(1);
            assertThat(output).contains("Validation 3 completed: 27 valid, 5 need attention");
        }
    }

    private ConfigurableApplicationContext cli(String... args) {
        return SpringApplication.run(BulkOffboardingApplication.class, arguments(args));
    }

    private String[] arguments(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--spring.datasource.url=" + database());
        all.add("--offboarding.data-dir=" + this.dir.resolve("data"));
        all.add("--offboarding.reports-dir=" + this.dir.resolve("reports"));
        all.add("--quipteams.api-key=");
        all.add("--sandbox.latency=0ms");
        all.add("--quipteams.settle-delay=10ms");
        return all.toArray(String[]::new);
    }

    private String database() {
        return "jdbc:h2:file:" + this.dir.resolve("db").resolve("bulk-offboarding") + ";AUTO_SERVER=TRUE";
    }

    private static List<String> created(ConfigurableApplicationContext context, Class<?> type) {
        var beans = context.getBeanFactory();
        return Arrays.stream(beans.getSingletonNames())
            .filter((name) -> type.isInstance(beans.getSingleton(name)))
            .toList();
    }

}
