package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.sandbox.SandboxServer;

/**
 * How long a command takes to start, the way an operator starts it (benchmarks/startup.sh prepares
 * the jars and launchers, docs/benchmarks.md "Start-up" has the figures). Each variant, a jar started
 * with {@code java -jar} or a fast-start launcher, runs four scenarios on the sample sheet:
 * <ul>
 * <li>{@code validate}: {@code validate} in an empty folder (a new database), start to exit;</li>
 * <li>{@code validate2}: the same where a {@code validate} already made the database (each variant's
 * own folder, made in the first round and validated again in every round);</li>
 * <li>{@code run}: {@code run --confirm-wipes 8} against the benchmark sandbox (a JVM of its own,
 * 20 ms latency, no budget), start to the first POST the sandbox receives; the run then completes.
 * Each round in a new folder: the database is made, and migrated, by the run itself;</li>
 * <li>{@code run2}: the same where a {@code validate} of the sheet (not measured) made the database
 * first, as an operator validates a sheet before running it.</li>
 * </ul>
 * Wall time and CPU time (user + system, of the whole process and the JVM a plain {@code java -jar}
 * starts for its command, from {@code /usr/bin/time}) are
 * medians of {@code --runs} runs; the variants take turns within each round so that a change of load
 * hits them all alike. Every figure is also given as a share of the first variant's (the baseline).
 * Before the rounds, each variant validates once in a folder of its own: a plain {@code java -jar}
 * prepares its fast start then (once per jar, as for an operator), in the benchmark's own cache.
 */
public final class StartupBenchmark {

    private static final Path SAMPLE = Path.of("sample-data", "offboarding-sample.csv").toAbsolutePath();

    private static final String TIME = "/usr/bin/time";

    private static final String FAST_START_SWITCH = "BULK_OFFBOARDING_FAST_START";

    private StartupBenchmark() {
    }

    /**
     * Arguments: {@code --runs N}, {@code --scenario validate,validate2,run,run2}, then one
     * {@code --variant NAME=jar:PATH}, {@code NAME=jar-one-jvm:PATH} (java -jar with the fast start of
     * a plain java -jar switched off) or {@code NAME=launcher:PATH} per variant, the baseline first.
     */
    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<String> scenarios = List.of("validate", "validate2", "run", "run2");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--scenario" -> scenarios = Arrays.asList(args[++i].split(","));
                case "--variant" -> {
                    String[] variant = args[++i].split("=", 2);
                    String[] launch = variant[1].split(":", 2);
                    String path = Path.of(launch[1]).toAbsolutePath().toString();
                    variants.put(variant[0], switch (launch[0]) {
                        case "jar" -> List.of(java, "-jar", path);
                        // java -jar with its fast start switched off: the command in the JVM started
                        case "jar-one-jvm" -> List.of("/usr/bin/env", FAST_START_SWITCH + "=off", java, "-jar", path);
                        default -> List.of(path);
                    });
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (variants.isEmpty() || !Files.isExecutable(Path.of(TIME))) {
            throw new IllegalArgumentException("Give at least one --variant; " + TIME + " must exist (apt-get install time)");
        }
        Path dir = Path.of("target", "benchmark",
                "startup-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
            .toAbsolutePath();
        Files.createDirectories(dir);
        List<String> report = new ArrayList<>();
        report.add(BenchmarkRunner.Machine.describe());
        report.add(Yardstick.measure(dir).toString());
        report.forEach(System.out::println);

        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<String> warmUps = new ArrayList<>();
        try (SandboxProcess sandbox = SandboxProcess.start(java, 20, 0, dir.resolve("sandbox.log"))) {
            // A plain java -jar prepares its fast start on its first validate (FastStart): once per jar,
            // as for an operator, so not in the figures. The cache is the benchmark's own.
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                Path work = Files.createDirectories(dir.resolve(variant.getKey() + "-warm-up"));
                Result first = start(variant.getValue(), List.of("validate", SAMPLE.toString()), Map.of(), work,
                        "warm-up");
                warmUps.add(String.format(Locale.ROOT, "%s %.2f s / %.2f s", variant.getKey(), first.wall(), first.cpu()));
            }
            System.out.println("First validate of each variant (wall / CPU; prepares a plain java -jar's fast start): "
                    + String.join(", ", warmUps));
            for (int round = 1; round <= runs; round++) {
                for (String scenario : scenarios) {
                    for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                        Path work = Files.createDirectories(dir.resolve(variant.getKey() + "-" + scenario
                                + ("validate2".equals(scenario) ? "" : "-" + round)));
                        Sample sample = measure(scenario, variant.getValue(), work, sandbox, round);
                        System.out.printf(Locale.ROOT, "round %d %-10s %-22s wall %6.2f s  cpu %6.2f s%s  (load %.1f)%n",
                                round, scenario, variant.getKey(), sample.wall(), sample.cpu(),
                                Double.isNaN(sample.firstRequest()) ? ""
                                        : String.format(Locale.ROOT, "  first request %6.2f s", sample.firstRequest()),
                                BenchmarkRunner.Machine.loadAverage());
                        samples.computeIfAbsent(scenario + " " + variant.getKey(), (key) -> new ArrayList<>()).add(sample);
                    }
                }
            }
        }
        report.add("");
        report.add(String.format(Locale.ROOT, "Medians of %d runs; in brackets: the share of the first variant's median "
                + "(%s).", runs, variants.keySet().iterator().next()));
        report.add("");
        report.add("| scenario | variant | wall s | CPU s | first request s | each run: wall / CPU (/ first request) |");
        report.add("|---|---|---|---|---|---|");
        for (String scenario : scenarios) {
            Sample base = null;
            for (String variant : variants.keySet()) {
                List<Sample> all = samples.get(scenario + " " + variant);
                Sample median = Sample.median(all);
                base = (base != null) ? base : median;
                report.add(String.format(Locale.ROOT, "| %s | %s | %.2f (%s) | %.2f (%s) | %s | %s |", scenario, variant,
                        median.wall(), share(median.wall(), base.wall()), median.cpu(), share(median.cpu(), base.cpu()),
                        Double.isNaN(median.firstRequest()) ? "—" : String.format(Locale.ROOT, "%.2f (%s)",
                                median.firstRequest(), share(median.firstRequest(), base.firstRequest())),
                        String.join(", ", all.stream().map(Sample::toString).toList())));
            }
        }
        report.add("");
        report.add("First validate of each variant, not in the medians (wall / CPU; a plain java -jar prepares its "
                + "fast start then): " + String.join(", ", warmUps) + ".");
        report.add("");
        report.add(BenchmarkRunner.Machine.describe().replace("Machine:", "Machine at the end:"));
        Files.write(dir.resolve("results.md"), report, StandardCharsets.UTF_8);
        System.out.println();
        report.stream().skip(2).forEach(System.out::println);
        System.out.println("Written to " + dir.resolve("results.md"));
    }

    private static String share(double value, double base) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * value / base);
    }

    private static Sample measure(String scenario, List<String> launch, Path work, SandboxProcess sandbox,
            int round) throws Exception {
        List<String> arguments = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        switch (scenario) {
            case "validate" -> arguments.addAll(List.of("validate", SAMPLE.toString()));
            case "validate2" -> {
                Result made = (round > 1) ? new Result(3, 0, 0, 0)
                        : start(launch, List.of("validate", SAMPLE.toString()), Map.of(), work, "prepare");
                if (made.exitCode() != 3) {
                    throw new IllegalStateException("The preparing validate exited " + made.exitCode() + "; see " + work);
                }
                arguments.addAll(List.of("validate", SAMPLE.toString()));
            }
            case "run", "run2" -> {
                if ("run2".equals(scenario)) {
                    Result made = start(launch, List.of("validate", SAMPLE.toString()), Map.of(), work, "prepare");
                    if (made.exitCode() != 3) {
                        throw new IllegalStateException("The preparing validate exited " + made.exitCode() + "; see " + work);
                    }
                }
                sandbox.reset();
                environment.put("QUIPTEAMS_API_KEY", SandboxServer.sandboxKey());
                // Start-up to the first POST: without the check with the vendor, whose GETs come first
                // today and did not exist in the baseline (the baseline ignores the property).
                arguments.addAll(List.of("run", SAMPLE.toString(), "--confirm-wipes", "8",
                        "--quipteams.base-url=" + sandbox.baseUri(), "--offboarding.preflight.enabled=false"));
            }
            default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
        }
        Result result = start(launch, arguments, environment, work, "measured-" + round);
        if (result.exitCode() != 3) {
            // the sample has rows that need a person: 3 is the exit code of a run that went as it should
            throw new IllegalStateException(scenario + " exited " + result.exitCode() + "; see " + work);
        }
        double firstRequest = Double.NaN;
        if (scenario.startsWith("run")) {
            long firstPost = sandbox.stats().get("firstPostMs");
            firstRequest = (firstPost - result.startedMs()) / 1000.0;
        }
        return new Sample(result.wall(), result.cpu(), firstRequest);
    }

    private static Result start(List<String> launch, List<String> arguments, Map<String, String> environment,
            Path work, String name) throws IOException, InterruptedException {
        Path times = work.resolve(name + ".time");
        List<String> command = new ArrayList<>(List.of(TIME, "-f", "%U %S", "-o", times.toString()));
        command.addAll(launch);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().remove("QUIPTEAMS_API_KEY");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("SPRING_PROFILES_ACTIVE");
        builder.environment().remove(FAST_START_SWITCH);
        builder.environment().put("XDG_CACHE_HOME", work.getParent().resolve("cache").toString());
        builder.environment().putAll(environment);
        long startedMs = System.currentTimeMillis();
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out: " + command);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String[] cpu = Files.readAllLines(times).stream()
            .filter((line) -> line.matches("[0-9.]+ [0-9.]+"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No CPU times in " + times))
            .split(" ");
        return new Result(process.exitValue(), startedMs, wall, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]));
    }

    private record Result(int exitCode, long startedMs, double wall, double cpu) {
    }

    /** One measured start: seconds of wall time, of CPU time, and to the first request (NaN if none). */
    record Sample(double wall, double cpu, double firstRequest) {

        static Sample median(List<Sample> samples) {
            return new Sample(median(samples, Sample::wall), median(samples, Sample::cpu),
                    median(samples, Sample::firstRequest));
        }

        private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> figure) {
            double[] values = samples.stream().mapToDouble(figure).sorted().toArray();
            int middle = values.length / 2;
            return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f / %.2f", this.wall, this.cpu)
                    + (Double.isNaN(this.firstRequest) ? "" : String.format(Locale.ROOT, " / %.2f", this.firstRequest));
        }

    }

}
