package dev.bulkoffboarding.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.support.ApplicationProcess;
import dev.bulkoffboarding.support.FakeApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast start of README "Starting fast" and of the Docker image, prepared by the script both
 * use ({@code src/main/sh/prepare-fast-start.sh}) from the jar the package phase built: its training
 * run ignores the caller's environment, and its launcher starts the application with its classes
 * taken from the archive and makes a new database from its template.
 */
class FastStartIntegrationTests {

    private static final Path SCRIPT = Path.of("src", "main", "sh", "prepare-fast-start.sh").toAbsolutePath();

    private static final Path JAR = Path.of("target", "bulk-offboarding.jar").toAbsolutePath();

    private static final Path SAMPLE = Path.of("sample-data", "offboarding-sample.csv").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theLauncherRunsTheApplicationWithItsClassesFromTheArchiveItsTrainingRecorded() throws Exception {
        Path destination = this.dir.resolve("fast-start");
        // An operator's shell may hold a live key and a production profile: the training run, a demo,
        // must neither refuse to run (as demo does with a key) nor reach a real database or Quipteams.
        Result prepared = run(this.dir, Map.of("QUIPTEAMS_API_KEY", FakeApiKeys.live(), "SPRING_PROFILES_ACTIVE",
                "postgres"), "bash", SCRIPT.toString(), JAR.toString(), destination.toString(), SAMPLE.toString());
        assertThat(prepared.exitCode()).as(prepared.output()).isZero();
        assertThat(prepared.output()).contains("Fast start ready: " + destination.resolve("bulk-offboarding"));
        assertThat(destination.resolve("application.jsa")).isRegularFile();
        assertThat(Files.isExecutable(destination.resolve("bulk-offboarding"))).isTrue();

        // -Xshare:on: the JVM refuses to start at all if it cannot use the archive.
        Path work = Files.createDirectories(this.dir.resolve("work"));
        Path classes = this.dir.resolve("classes.log");
        Result validated = run(work, Map.of("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classes),
                destination.resolve("bulk-offboarding").toString(), "validate", SAMPLE.toString());
        assertThat(validated.exitCode()).as(validated.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(validated.output()).contains("Validation 1 completed: 27 valid, 5 need attention");
        // picocli's Java 5 class files too: a dynamic archive of Java 17 would leave them out
        assertThat(Files.readString(classes)).contains(
                "dev.bulkoffboarding.cli.BulkOffboardingCommand source: shared objects file",
                "org.springframework.batch.core.job.SimpleJob source: shared objects file",
                "picocli.CommandLine source: shared objects file");
        // The validation's database and reports are the operator's, in the working directory.
        assertThat(work.resolve("data")).isDirectory();
        assertThat(work.resolve("reports").resolve("1").resolve("results.csv")).isRegularFile();
        // Its new database was the launcher's template, which holds this jar's migrations and no data.
        Path template = destination.resolve("new-database.mv.db");
        assertThat(template).isRegularFile();
        List<String> templateHistory = history(template);
        assertThat(templateHistory).hasSize(11);
        assertThat(history(work.resolve("data").resolve("bulk-offboarding.mv.db"))).isEqualTo(templateHistory);
        assertThat(rowsOutsideTheHistory(template)).isZero();

        // A collector chosen in JAVA_OPTS replaces the launcher's (the JVM refuses two).
        Result serial = run(work, Map.of("JAVA_OPTS", "-XX:+UseSerialGC -Xlog:gc:stdout"),
                destination.resolve("bulk-offboarding").toString(), "--version");
        assertThat(serial.exitCode()).as(serial.output()).isZero();
        assertThat(serial.output()).contains("Using Serial");

        // One compiler thread before Java 24 (the second takes the main thread's core for most of a
        // start); a choice of compilers in JAVA_OPTS drops it, as the JVM refuses one thread for two.
        Result flags = run(work, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"),
                destination.resolve("bulk-offboarding").toString(), "--version");
        assertThat(flags.exitCode()).as(flags.output()).isZero();
        assertThat(flags.output()).containsPattern("CICompilerCount += "
                + ((Runtime.version().feature() >= 24) ? "[0-9]+ +\\{product\\} \\{ergonomic\\}" : "1 "));
        Result optimising = run(work, Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=4"),
                destination.resolve("bulk-offboarding").toString(), "--version");
        assertThat(optimising.exitCode()).as(optimising.output()).isZero();
    }

    @Test
    void aDestinationWithSpacesGetsALauncherThatWorks() throws Exception {
        Path destination = this.dir.resolve("fast start");

        Result prepared = run(this.dir, Map.of(), "bash", SCRIPT.toString(), JAR.toString(), destination.toString(),
                SAMPLE.toString());

        assertThat(prepared.exitCode()).as(prepared.output()).isZero();
        // Java 17 leaves the application's classes out of an archive whose class path has a space
        assertThat(prepared.output()).contains((Runtime.version().feature() < 24)
                ? "Warning: the archive does not hold the application's classes (a path with spaces?)"
                : "Fast start ready: " + destination.resolve("bulk-offboarding"));
        Path work = Files.createDirectories(this.dir.resolve("work"));
        Result validated = run(work, Map.of(), destination.resolve("bulk-offboarding").toString(), "validate",
                SAMPLE.toString());
        assertThat(validated.exitCode()).as(validated.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(validated.output()).contains("Validation 1 completed: 27 valid, 5 need attention");
    }

    @Test
    void refusesADestinationThatHoldsSomethingElse() throws Exception {
        Path destination = Files.createDirectories(this.dir.resolve("documents"));
        Files.writeString(destination.resolve("keep.txt"), "mine");

        Result prepared = run(this.dir, Map.of(), "bash", SCRIPT.toString(), JAR.toString(), destination.toString(),
                SAMPLE.toString());

        assertThat(prepared.exitCode()).isEqualTo(1);
        assertThat(prepared.output()).contains(destination + " is not empty and holds no earlier fast start");
        assertThat(destination.resolve("keep.txt")).hasContent("mine");
    }

    /** Flyway's schema history of an H2 database file, read from a copy. */
    private List<String> history(Path databaseFile) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = copyOf(databaseFile); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select \"installed_rank\", \"version\", \"checksum\", "
                        + "\"installed_on\" from \"flyway_schema_history\" order by 1")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getString(3) + " "
                        + result.getString(4));
            }
        }
        return rows;
    }

    private long rowsOutsideTheHistory(Path databaseFile) throws Exception {
        long rows = 0;
        try (Connection connection = copyOf(databaseFile); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet result = connection.getMetaData().getTables(null, "PUBLIC", null, new String[] { "TABLE" })) {
                while (result.next()) {
                    tables.add(result.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("OFFBOARDING_ROW", "DEVICE_CLAIM", "BATCH_JOB_INSTANCE");
            for (String table : tables) {
                if (!table.equals("flyway_schema_history")) {
                    try (ResultSet count = statement.executeQuery("select count(*) from \"" + table + "\"")) {
                        count.next();
                        rows += count.getLong(1);
                    }
                }
            }
        }
        return rows;
    }

    private Connection copyOf(Path databaseFile) throws Exception {
        Path copy = Files.createTempDirectory(this.dir, "copy").resolve("database.mv.db");
        Files.copy(databaseFile, copy);
        return DriverManager.getConnection("jdbc:h2:file:" + copy.toString().replace(".mv.db", ""), "sa", "");
    }

    private static Result run(Path directory, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(directory, "process", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        ApplicationProcess.removeInheritedSettings(builder.environment());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still ran after 5 minutes:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }

}
