package dev.bulkoffboarding.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts {@link BenchmarkSandbox} as a child JVM and talks to it over its standard streams. */
final class SandboxProcess implements AutoCloseable {

    private final Process process;

    private final BufferedReader out;

    private final Writer in;

    private final URI baseUri;

    private SandboxProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String ready = this.out.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IllegalStateException("The sandbox did not start: " + ready);
        }
        this.baseUri = URI.create(ready.substring("READY ".length()).trim());
    }

    static SandboxProcess start(String java, long latencyMillis, int requestsPerMinute, Path log) throws IOException {
        return start(java, latencyMillis, requestsPerMinute, 0, log);
    }

    /** As {@link #start(String, long, int, Path)}, with a real limit behind the advertised one (0 = none). */
    static SandboxProcess start(String java, long latencyMillis, int requestsPerMinute, double realPerSecond,
            Path log) throws IOException {
        // The same classpath as this JVM (test classes, main classes, dependencies).
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BenchmarkSandbox.class.getName(), Long.toString(latencyMillis), Integer.toString(requestsPerMinute),
                Double.toString(realPerSecond));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new SandboxProcess(process);
    }

    URI baseUri() {
        return this.baseUri;
    }

    /** What the server saw since start or the last reset. */
    Map<String, Long> stats() throws IOException {
        String line = command("stats");
        if (!line.startsWith("STATS ")) {
            throw new IllegalStateException("Unexpected answer from the sandbox: " + line);
        }
        Map<String, Long> stats = new HashMap<>();
        for (String pair : line.substring("STATS ".length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return stats;
    }

    void reset() throws IOException {
        command("reset");
    }

    private String command(String command) throws IOException {
        this.in.write(command + "\n");
        this.in.flush();
        String answer = this.out.readLine();
        if (answer == null) {
            throw new IllegalStateException("The sandbox ended unexpectedly");
        }
        return answer;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            this.in.write("quit\n");
            this.in.close();
        }
        catch (IOException ex) {
            // already gone
        }
        if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
            this.process.destroyForcibly();
        }
    }

}
