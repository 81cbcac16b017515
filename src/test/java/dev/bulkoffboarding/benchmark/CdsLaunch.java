package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fast way to start the application (README "Starting fast", the Docker image): prepared by
 * {@code src/main/sh/prepare-fast-start.sh}, which extracts the jar and records a class data
 * sharing archive in a training run of {@code demo} against the built-in sandbox. The benchmark
 * launches the extracted jar with that archive as its launcher does, adding its own JVM options.
 *
 * @param jar the extracted jar, to launch instead of the executable one
 * @param jvmOptions what the launch needs on top ({@code -XX:SharedArchiveFile=...})
 */
record CdsLaunch(Path jar, List<String> jvmOptions) {

    static final Path SCRIPT = Path.of("src", "main", "sh", "prepare-fast-start.sh");

    static CdsLaunch prepare(String java, Path executableJar, Path dir) throws IOException, InterruptedException {
        Path destination = dir.resolve("app").toAbsolutePath();
        Path log = dir.resolve("cds-prepare.log").toAbsolutePath();
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), executableJar.toString(),
                destination.toString(), "sample-data/offboarding-sample.csv")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // The archive must come from the JVM the benchmark launches.
        builder.environment().put("JAVA_HOME", Path.of(java).toAbsolutePath().getParent().getParent().toString());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out preparing the fast start; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Preparing the fast start failed (exit " + process.exitValue() + "); see "
                    + log);
        }
        return new CdsLaunch(destination.resolve(executableJar.getFileName()),
                List.of("-XX:SharedArchiveFile=" + destination.resolve("application.jsa")));
    }

}
