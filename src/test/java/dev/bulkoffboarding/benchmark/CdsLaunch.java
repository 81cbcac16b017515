package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fast way to start the application (README, Dockerfile): the jar extracted with Spring Boot's
 * {@code -Djarmode=tools extract}, and a class data sharing archive recorded by a training run that
 * stops once the application context has refreshed ({@code -Dspring.context.exit=onRefresh}: no
 * command runs, nothing is sent). The training run gets a database and folders of its own.
 *
 * @param jar the extracted jar, to launch instead of the executable one
 * @param jvmOptions what the launch needs on top ({@code -XX:SharedArchiveFile=...})
 */
record CdsLaunch(Path jar, List<String> jvmOptions) {

    static CdsLaunch prepare(String java, Path executableJar, Path dir) throws IOException, InterruptedException {
        Path extracted = dir.resolve("app").toAbsolutePath();
        Path log = dir.resolve("cds-prepare.log").toAbsolutePath();
        Files.createDirectories(dir);
        run(dir, log, java, "-Djarmode=tools", "-jar", executableJar.toAbsolutePath().toString(), "extract",
                "--destination", extracted.toString());
        Path jar = extracted.resolve(executableJar.getFileName());
        Path archive = extracted.resolve("application.jsa");
        Path training = Files.createDirectories(dir.resolve("training")).toAbsolutePath();
        run(training, log, java, "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
                jar.toString(), "--spring.datasource.url=jdbc:h2:file:" + training.resolve("db"),
                "--offboarding.data-dir=" + training.resolve("data"),
                "--offboarding.reports-dir=" + training.resolve("reports"), "--quipteams.api-key=");
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The training run wrote no archive; see " + log);
        }
        return new CdsLaunch(jar, List.of("-XX:SharedArchiveFile=" + archive));
    }

    private static void run(Path directory, Path log, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out: " + String.join(" ", command) + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Exit code " + process.exitValue() + ": " + String.join(" ", command)
                    + "; see " + log);
        }
    }

}
