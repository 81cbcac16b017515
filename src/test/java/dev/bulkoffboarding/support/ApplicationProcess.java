package dev.bulkoffboarding.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application as a separate operating-system process: {@code java -jar target/bulk-offboarding.jar},
 * the jar the package phase builds before the integration tests. Its output goes to a file, so a
 * chatty process never blocks on a full pipe. Every wait is bounded; {@link #kill()} ends it for good.
 */
public final class ApplicationProcess implements AutoCloseable {

    /** The executable jar, as the failsafe plugin sees it from the project directory. */
    static final Path JAR = Path.of("target", "bulk-offboarding.jar");

    private static final AtomicInteger counter = new AtomicInteger();

    /** Environment variables of the test JVM that would configure the child behind the test's back. */
    private static final List<String> INHERITED_PREFIXES = List.of("SPRING_", "QUIPTEAMS_", "OFFBOARDING_",
            "DATABASE_", "SANDBOX_", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS");

    private final String name;

    private final Process process;

    private final Path log;

    private ApplicationProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the application.
     * @param directory working directory; the output file goes there too
     * @param environment environment variables on top of a cleaned copy of this JVM's
     * @param jvmOptions options for the child JVM (a time zone, say)
     * @param arguments the command line: a command and Spring properties
     */
    public static ApplicationProcess start(Path directory, Map<String, String> environment, List<String> jvmOptions,
            List<String> arguments) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " does not exist: run the integration tests with "
                    + "'./mvnw verify', whose package phase builds it first.");
        }
        String name = "app-" + counter.incrementAndGet();
        Path log = directory.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A short-lived CLI process: start fast and small, as two of them share the machine with the test.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        // These tests are about sending and killing; the preflight's GETs are PreflightIntegrationTests'
        // business (a command-line --offboarding.preflight.enabled=true still wins over this).
        command.add("-Doffboarding.preflight.enabled=false");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        removeInheritedSettings(builder.environment());
        builder.environment().putAll(environment);
        try {
            return new ApplicationProcess(name, builder.start(), log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + command, ex);
        }
    }

    /**
     * Removes from a child process's environment what would configure the application behind a
     * test's back: the test JVM's own Spring, Quipteams, database and JVM settings.
     */
    public static void removeInheritedSettings(Map<String, String> environment) {
        environment.keySet().removeIf((key) -> INHERITED_PREFIXES.stream().anyMatch(key::startsWith));
    }

    /**
     * Waits for the process to end.
     * @return its exit code
     * @throws AssertionError when it is still running after {@code timeout} (it is killed then)
     */
    public int waitForExit(Duration timeout) {
        try {
            if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(this.name + " still ran after " + timeout + " and was killed. Its output:\n"
                        + output());
            }
            return this.process.exitValue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("Interrupted while waiting for " + this.name, ex);
        }
    }

    /**
     * Waits until the first of these processes ends.
     * @return the one that ended
     * @throws AssertionError when none ended within {@code timeout}
     */
    public static ApplicationProcess firstToExit(Duration timeout, ApplicationProcess... processes)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ApplicationProcess candidate : processes) {
                if (!candidate.isAlive()) {
                    return candidate;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("None of " + List.of(processes) + " ended within " + timeout);
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    /** Ends the process at once, as {@code kill -9} would: no shutdown hook runs. */
    public void kill() {
        this.process.descendants().forEach(ProcessHandle::destroyForcibly);
        this.process.destroyForcibly();
        try {
            this.process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the process to stop, as Ctrl-C or a container stop would (SIGTERM). */
    public void terminate() {
        this.process.destroy();
    }

    /** Kills the process if it still runs: no test leaves one behind. */
    @Override
    public void close() {
        if (this.process.isAlive()) {
            kill();
        }
    }

    /** Everything the process printed so far, standard output and error interleaved. */
    public String output() {
        try {
            return Files.readString(this.log, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return this.name + " (pid " + this.process.pid() + ")";
    }

}
