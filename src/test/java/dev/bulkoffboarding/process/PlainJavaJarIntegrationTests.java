package dev.bulkoffboarding.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain {@code java -jar target/bulk-offboarding.jar COMMAND}, as the README writes it: the
 * command runs in a second JVM with the options of a short-lived process and an archive of its
 * classes, kept in the user's cache folder; exit codes, output, signals and a kill of the first JVM
 * reach the command as if it ran alone. Any JVM option of the operator's, or the switch, keeps the
 * command in the JVM that was started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainJavaJarIntegrationTests {

    private static final Path JAR = Path.of("target", "bulk-offboarding.jar").toAbsolutePath();

    private static final Path SAMPLE = Path.of("sample-data", "offboarding-sample.csv").toAbsolutePath();

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

    private Path dir;

    private Path cache;

    private Path work;

    private Result first;

    @BeforeAll
    void prepareOnFirstCommand(@TempDir Path dir) throws Exception {
        this.dir = dir;
        this.cache = this.dir.resolve("cache");
        this.work = Files.createDirectories(this.dir.resolve("work"));
        this.first = run(this.work, Map.of(), List.of(), "validate", SAMPLE.toString());
    }

    @Test
    void theFirstCommandPreparesTheFastStartOnceAndLaterCommandsUseIt() throws Exception {
        assertThat(this.first.exitCode()).as(this.first.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(this.first.output()).contains("Preparing a faster start for this jar and Java",
                "Validation 1 completed: 27 valid, 5 need attention");
        Path folder = this.cache.resolve("bulk-offboarding");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        Path entry = onlyEntry(folder);
        assertThat(entry.resolve("app").resolve("bulk-offboarding.jar")).isRegularFile();
        Path archive = archive(entry);
        assertThat(archive).isRegularFile();
        FileTime recorded = Files.getLastModifiedTime(archive);

        Result second = run(this.work, Map.of(), List.of(), "validate", SAMPLE.toString());
        assertThat(second.exitCode()).as(second.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(second.output()).contains("Validation 2 completed: 27 valid, 5 need attention")
            .doesNotContain("Preparing a faster start");
        assertThat(this.work.resolve("reports").resolve("2").resolve("results.csv")).isRegularFile();
        assertThat(onlyEntry(folder)).isEqualTo(entry);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(recorded);
    }

    @Test
    void killingTheFirstJvmOutrightEndsTheCommandToo() throws Exception {
        Path directory = this.dir.resolve("killed");
        Process process = startRun(directory, "600s");
        ProcessHandle command = commandOf(process, directory);
        assertThat(command.info().arguments().map(Arrays::asList).orElseThrow()).contains("-XX:TieredStopAtLevel=1",
                (Runtime.version().feature() >= 24) ? "-XX:+UseSerialGC" : "-XX:+UseG1GC",
                (Runtime.version().feature() >= 24) ? "-XX:TieredStopAtLevel=1" : "-XX:CICompilerCount=1",
                "dev.bulkoffboarding.BulkOffboardingApplication")
            .anyMatch((argument) -> argument.matches("-XX:(SharedArchiveFile|ArchiveClassesAtExit|AOTCache|AOTCacheOutput)=.*"));

        process.destroyForcibly(); // SIGKILL to the first JVM only: no shutdown hook of its runs
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waitUntilGone(command, Duration.ofSeconds(30))).as("the command outlived the JVM that started it")
            .isTrue();
    }

    @Test
    void aSignalToTheFirstJvmEndsTheCommandTheSameWayAndWaitsForIt() throws Exception {
        Path directory = this.dir.resolve("terminated");
        Process process = startRun(directory, "3s");
        ProcessHandle command = commandOf(process, directory);

        process.destroy(); // SIGTERM, as systemd or a scheduler stopping the job
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        // The first JVM ended only after the command had: its shutdown hook waits for it.
        assertThat(command.isAlive()).isFalse();
        assertThat(Files.readString(directory.resolve("out.log"), StandardCharsets.UTF_8))
            .contains("Stopping: letting the requests in flight finish");
    }

    @Test
    void aJvmOptionOfTheOperatorsOrTheSwitchKeepsTheCommandInTheJvmThatWasStarted() throws Exception {
        Path otherCache = this.dir.resolve("other-cache");
        Result withOption = runIn(otherCache, this.dir.resolve("with-option"), Map.of(), List.of("-Xmx512m"),
                "validate", SAMPLE.toString());
        assertThat(withOption.exitCode()).as(withOption.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        Result switchedOff = runIn(otherCache, this.dir.resolve("switched-off"),
                Map.of("BULK_OFFBOARDING_FAST_START", "off"), List.of(), "validate", SAMPLE.toString());
        assertThat(switchedOff.exitCode()).as(switchedOff.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(switchedOff.output()).contains("Validation 1 completed: 27 valid, 5 need attention");
        assertThat(otherCache.resolve("bulk-offboarding")).doesNotExist();
    }

    @Test
    void aCommandThatLoadsFewClassesDoesNotRecordTheArchive() throws Exception {
        Path ownCache = this.dir.resolve("version-cache");
        Result version = runIn(ownCache, this.dir.resolve("version"), Map.of(), List.of(), "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        Path entry = onlyEntry(ownCache.resolve("bulk-offboarding"));
        assertThat(entry.resolve("app").resolve("bulk-offboarding.jar")).isRegularFile();
        assertThat(archive(entry)).doesNotExist();
    }

    @Test
    void theFirstRunRecordsTheArchiveAgainOverAValidatesAndLaterCommandsKeepIt() throws Exception {
        Path ownCache = this.dir.resolve("run-cache");
        Path directory = this.dir.resolve("run-after-validate");
        assertThat(runIn(ownCache, directory, Map.of(), List.of(), "validate", SAMPLE.toString()).exitCode())
            .isEqualTo(ExitCodes.NEEDS_ATTENTION);
        Path entry = onlyEntry(ownCache.resolve("bulk-offboarding"));
        Path recordedBy = entry.resolve(archive(entry).getFileName() + ".command");
        assertThat(recordedBy).hasContent("validate");

        Result run = runIn(ownCache, directory, Map.of(), List.of(), "run", SAMPLE.toString(), "--confirm-wipes", "8",
                "--offboarding.preflight.enabled=false");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(recordedBy).hasContent("run");
        assertThat(archive(entry)).isRegularFile();
        FileTime recorded = Files.getLastModifiedTime(archive(entry));

        assertThat(runIn(ownCache, directory, Map.of(), List.of(), "validate", SAMPLE.toString()).exitCode())
            .isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(recordedBy).hasContent("run");
        assertThat(Files.getLastModifiedTime(archive(entry))).isEqualTo(recorded);
    }

    @Test
    void aRebuiltJarGetsANewEntryAndTheOldOneGoesOnceUnusedForADay() throws Exception {
        Path ownCache = this.dir.resolve("rebuild-cache");
        Path jar = Files.createDirectories(this.dir.resolve("rebuilt")).resolve("bulk-offboarding.jar");
        Files.copy(JAR, jar);
        assertThat(runIn(ownCache, jar, this.dir.resolve("rebuild-1"), "--version").exitCode()).isZero();
        Path earlier = onlyEntry(ownCache.resolve("bulk-offboarding"));

        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(60)));
        assertThat(runIn(ownCache, jar, this.dir.resolve("rebuild-2"), "--version").exitCode()).isZero();
        try (Stream<Path> entries = Files.list(ownCache.resolve("bulk-offboarding"))) {
            assertThat(entries.toList()).hasSize(2).contains(earlier); // it was used less than a day ago
        }

        Files.setLastModifiedTime(earlier, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(60)));
        assertThat(runIn(ownCache, jar, this.dir.resolve("rebuild-3"), "--version").exitCode()).isZero();
        try (Stream<Path> entries = Files.list(ownCache.resolve("bulk-offboarding"))) {
            assertThat(entries.toList()).hasSize(2).doesNotContain(earlier);
        }
    }

    /** A run against a built-in sandbox that answers after this latency, in a directory of its own. */
    private Process startRun(Path directory, String latency) throws IOException {
        Files.createDirectories(directory);
        List<String> command = command(List.of(), "run", SAMPLE.toString(), "--confirm-wipes", "8",
                "--offboarding.preflight.enabled=false", "--sandbox.latency=" + latency);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("out.log").toFile());
        environment(builder, this.cache, Map.of());
        return builder.start();
    }

    /** The second JVM, once the first has started it and it has begun to send. */
    private static ProcessHandle commandOf(Process process, Path directory) throws Exception {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(directory.resolve("out.log"), StandardCharsets.UTF_8);
            assertThat(process.isAlive()).as(output).isTrue();
            List<ProcessHandle> children = process.children().toList();
            if (!children.isEmpty() && output.contains("Run 1 sends 27 device action(s)")) {
                return children.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("No second JVM within " + COMMAND_TIMEOUT);
    }

    private static boolean waitUntilGone(ProcessHandle handle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return !handle.isAlive();
    }

    private static Path onlyEntry(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> all = entries.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private static Path archive(Path entry) {
        return entry.resolve((Runtime.version().feature() >= 25) ? "classes.aot" : "classes.jsa");
    }

    private Result run(Path directory, Map<String, String> environment, List<String> jvmOptions, String... arguments)
            throws Exception {
        return runIn(this.cache, directory, environment, jvmOptions, arguments);
    }

    private static Result runIn(Path cache, Path jar, Path directory, String... arguments) throws Exception {
        return runIn(cache, jar, directory, Map.of(), List.of(), arguments);
    }

    private static Result runIn(Path cache, Path directory, Map<String, String> environment, List<String> jvmOptions,
            String... arguments) throws Exception {
        return runIn(cache, JAR, directory, environment, jvmOptions, arguments);
    }

    private static Result runIn(Path cache, Path jar, Path directory, Map<String, String> environment,
            List<String> jvmOptions, String... arguments) throws Exception {
        Files.createDirectories(directory);
        Path output = Files.createTempFile(directory, "out", ".log");
        ProcessBuilder builder = new ProcessBuilder(command(jar, jvmOptions, arguments)).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        environment(builder, cache, environment);
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("Still running after " + COMMAND_TIMEOUT + ":\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static List<String> command(List<String> jvmOptions, String... arguments) {
        return command(JAR, jvmOptions, arguments);
    }

    private static List<String> command(Path jar, List<String> jvmOptions, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static void environment(ProcessBuilder builder, Path cache, Map<String, String> environment) {
        ApplicationProcess.removeInheritedSettings(builder.environment());
        builder.environment().remove("BULK_OFFBOARDING_FAST_START");
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().putAll(environment);
    }

    private record Result(int exitCode, String output) {
    }

}
