package dev.bulkoffboarding.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real executable jar, started as a separate process, as an operator or a scheduler would
 * start it. Its output goes to a file, so a test can show it when something goes wrong.
 */
final class AppProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "bulk-offboarding.jar");

    private final Process process;

    private final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AppProcess start(Path workDir, List<String> args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests with './mvnw verify' (after 'package')");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(args);
        Path log = Files.createTempFile(workDir, "app-", ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new AppProcess(process, log);
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last word. */
    void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: what Ctrl-C or a container stop sends. */
    void terminate() {
        this.process.destroy();
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            this.process.destroyForcibly();
            throw new IllegalStateException("The process did not end within " + timeout + ":\n" + output());
        }
        return this.process.exitValue();
    }

    String output() {
        try {
            return Files.readString(this.log);
        }
        catch (IOException ex) {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            this.process.destroyForcibly();
        }
    }

}
