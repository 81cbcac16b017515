package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.bulkoffboarding.sandbox.SandboxServer;

/**
 * The benchmark: for each scenario and run, starts the fake vendor in its own JVM with the
 * scenario's latency and budget, generates the rows, runs the real jar as a process, asks the
 * vendor what reached it, then POSTs the same rows with a plain sequential client (the baseline).
 * Prints each run and the median of the runs, and writes them to
 * {@code target/benchmark/<time>/results.md}. See docs/benchmarks.md.
 *
 * <pre>
 * ./mvnw -o -Pbenchmark -DskipTests verify -Dbenchmark.args="--runs 3 --scenario a,c"
 * benchmarks/run.sh --runs 1 --scenario e --rows 500
 * </pre>
 *
 * Options: {@code --runs N} (3), {@code --scenario e,a,b,c,d100k,d} (all), {@code --rows N}
 * (override every selected scenario's size), {@code --baseline-seconds S} (20),
 * {@code --jar PATH}, {@code --jvm-option OPT} (repeatable: add to the application's JVM),
 * {@code --app-arg ARG} (repeatable: add to the application's arguments, e.g. a property),
 * {@code --no-ceiling} (skip {@link StageCeiling} after each validate run),
 * {@code --profile} (a JFR recording per run), {@code --keep} (keep the generated files and
 * databases), {@code --launch jar|cds} (jar: {@code java -jar} the executable jar, as by default;
 * cds: the extracted jar with a class data sharing archive, see {@link CdsLaunch}),
 * {@code --postgres ADMIN_URL} (each run gets a fresh PostgreSQL database, created through this
 * URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}, and dropped afterwards; user
 * {@code PGUSER}, default postgres, password {@code PGPASSWORD}).
 */
public final class BenchmarkRunner {

    /** The stage step's commit interval (offboarding.stage-chunk-size's default), for the ceiling's transactions. */
    private static final int STAGE_CHUNK_SIZE = 2_000;

    private final String java = ProcessHandle.current().info().command().orElse("java");

    private final Options options;

    private final Path outDir;

    /** The jar to launch and the JVM options that launch needs (the executable jar, or {@link CdsLaunch}'s). */
    private Path jar;

    private List<String> launchOptions = List.of();

    private BenchmarkRunner(Options options, Path outDir) {
        this.options = options;
        this.outDir = outDir;
        this.jar = options.jar;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!Files.isRegularFile(options.jar)) {
            System.err.println(options.jar + " is missing: build it first (./mvnw -o -DskipTests package)");
            System.exit(2);
        }
        Path outDir = Path.of("target", "benchmark",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(outDir);
        new BenchmarkRunner(options, outDir).runAll();
    }

    private void runAll() throws Exception {
        StringBuilder markdown = new StringBuilder();
        markdown.append("# Benchmark ").append(this.outDir.getFileName()).append("\n\n").append(Machine.describe())
            .append("\n");
        System.out.println(Machine.describe());
        String yardstick = Yardstick.measure(this.outDir).toString();
        markdown.append(yardstick).append("\n");
        System.out.println(yardstick);
        if (this.options.launch.equals("cds")) {
            CdsLaunch cds = CdsLaunch.prepare(this.java, this.options.jar, this.outDir.resolve("cds"));
            this.jar = cds.jar();
            this.launchOptions = cds.jvmOptions();
        }
        String launch = "Launch: " + (this.options.launch.equals("cds")
                ? "extracted jar with a CDS archive (" + String.join(" ", this.launchOptions) + ")"
                : "java -jar " + this.jar) + "; database: " + ((this.options.postgres == null) ? "an H2 file per run"
                        : "a fresh PostgreSQL database per run on " + this.options.postgres);
        markdown.append(launch).append("\n\n");
        System.out.println(launch);
        for (Scenario scenario : this.options.scenarios) {
            System.out.println("== " + scenario.id() + ": " + scenario.title() + " (" + scenario.rows() + " rows; target: "
                    + scenario.target() + ")");
            List<Map<String, Double>> runs = new ArrayList<>();
            for (int run = 1; run <= this.options.runs; run++) {
                Map<String, Double> figures = runOnce(scenario, run);
                runs.add(figures);
                System.out.println("  run " + run + ": " + Table.oneLine(scenario, figures));
            }
            Map<String, Double> median = Table.median(runs);
            System.out.println("  median: " + Table.oneLine(scenario, median));
            System.out.println("  target " + scenario.target() + ": " + Targets.verdict(scenario, median));
            markdown.append(Table.markdown(scenario, runs, median)).append('\n');
            Files.writeString(this.outDir.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        }
        if (!this.options.keep) {
            // the extracted jar and the archive: some 130 MB
            deleteTree(this.outDir.resolve("cds").resolve("app"));
        }
        System.out.println("Results: " + this.outDir.resolve("results.md").toAbsolutePath());
    }

    /**
     * Creates the scenario's database with a command that sends nothing ({@code runs}), as an
     * earlier day's run would have, so that the measured run finds its tables in place.
     */
    private void createDatabase(List<String> jvmOptions, List<String> settings, Path workDir) throws Exception {
        List<String> command = new ArrayList<>(List.of(this.java));
        command.addAll(jvmOptions.stream().filter((option) -> !option.startsWith("-XX:StartFlightRecording")).toList());
        command.addAll(List.of("-jar", this.jar.toAbsolutePath().toString(), "runs"));
        command.addAll(settings);
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("create-database.log").toFile())
            .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Could not create the database; see " + workDir.resolve("create-database.log"));
        }
    }

    private Map<String, Double> runOnce(Scenario scenario, int run) throws Exception {
        Path workDir = Files.createDirectories(this.outDir.resolve(scenario.id() + "-" + run).toAbsolutePath());
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("load1", Machine.loadAverage());
        RowsFile rows = new RowsFile("BENCH-" + this.outDir.getFileName().toString().replace("-", "") + "-"
                + scenario.id() + run + "-", scenario.invalidEvery());
        Path csv = rows.write(workDir.resolve("rows.csv"), scenario.rows());
        int valid = rows.validRows(scenario.rows());
        AppRun.Database database = (this.options.postgres == null)
                ? AppRun.Database.h2(workDir.resolve("data").resolve("db"))
                : PostgresDatabases.create(this.options.postgres, scenario.id() + run);

        List<String> jvmOptions = new ArrayList<>(this.launchOptions);
        jvmOptions.addAll(scenario.jvmOptions());
        jvmOptions.addAll(this.options.jvmOptions);
        if (this.options.profile) {
            // Spring Batch records a JFR event per item read and processed; with stack traces they
            // would cost more than the work they describe, so they are left out.
            String perItem = "org.springframework.batch.core.observability.jfr.events.step.chunk.";
            jvmOptions.add("-XX:StartFlightRecording:filename=" + workDir.resolve("app.jfr") + ",settings=profile,"
                    + perItem + "ItemReadEvent#enabled=false," + perItem + "ItemProcessEvent#enabled=false");
        }

        SandboxProcess sandbox = scenario.sends() ? SandboxProcess.start(this.java, scenario.latencyMillis(),
                scenario.vendorRequestsPerMinute(), scenario.vendorRealPerSecond(), workDir.resolve("sandbox.log"))
                : null;
        try {
            String baseUrl = (sandbox != null) ? sandbox.baseUri().toString() : "http://127.0.0.1:9";
            List<String> appArgs = new ArrayList<>(List.of(scenario.command(), csv.toString()));
            appArgs.addAll(database.appArgs());
            appArgs.addAll(List.of(
                    "--offboarding.data-dir=" + workDir.resolve("data"),
                    "--offboarding.reports-dir=" + workDir.resolve("reports"), "--quipteams.base-url=" + baseUrl,
                    // A third of the generated rows are wipes; the benchmark is not the operator who
                    // confirms them (ignored where wipe confirmation does not exist).
                    "--offboarding.wipes.require-confirmation=false"));
            if (scenario.clientRequestsPerMinute() > 0) {
                appArgs.add("--quipteams.requests-per-minute=" + scenario.clientRequestsPerMinute());
            }
            appArgs.addAll(this.options.appArgs);
            if (scenario.existingDatabase()) {
                createDatabase(jvmOptions, appArgs.subList(2, appArgs.size()), workDir);
            }
            // The key goes in the environment, as the README tells users to pass it.
            AppRun.Result result = AppRun.run(this.java, this.jar, jvmOptions, appArgs,
                    Map.of("QUIPTEAMS_API_KEY", SandboxServer.sandboxKey()), workDir, database, !scenario.sends());

            int expectedExit = (valid == scenario.rows()) ? 0 : 3;
            if (result.exitCode() != expectedExit) {
                System.out.println("  WARNING: exit code " + result.exitCode() + " (expected " + expectedExit
                        + "); see " + result.log());
            }
            figures.put("exit", (double) result.exitCode());
            figures.put("wall_s", result.wallSeconds());
            figures.put("startup_s", (result.jobStartMs() > 0) ? (result.jobStartMs() - result.startedMs()) / 1000.0
                    : Double.NaN);
            figures.put("stage_s", result.stepSeconds("stageStep"));
            figures.put("staged_rows_s", scenario.rows() / result.stepSeconds("stageStep"));
            figures.put("gate_s", result.stepSeconds("gateStep"));
            figures.put("after_job_s", (result.jobEndMs() > 0) ? (result.endedMs() - result.jobEndMs()) / 1000.0
                    : Double.NaN);
            figures.put("e2e_rows_s", scenario.rows() / result.wallSeconds());
            figures.put("peak_heap_mb", result.peakHeapMb());
            figures.put("live_heap_mb", result.liveHeapMb());
            if (!scenario.sends()) {
                figures.put("live_set_mb", result.liveSetMb());
            }
            figures.put("rss_mb", result.peakRssMb());
            figures.put("cpu_s", result.cpuSeconds());
            if (sandbox != null) {
                vendorFigures(scenario, sandbox.stats(), result, valid, figures);
                baseline(scenario, sandbox, rows, result, figures);
            }
            else if (this.options.ceiling && scenario.ceiling()) {
                ceiling(scenario, csv, workDir, figures);
            }
        }
        finally {
            if (sandbox != null) {
                sandbox.close();
            }
            if (!this.options.keep) {
                if (this.options.postgres != null) {
                    PostgresDatabases.drop(this.options.postgres, database);
                }
                Files.deleteIfExists(csv);
                deleteTree(workDir.resolve("data"));
                deleteTree(workDir.resolve("reports"));
            }
        }
        return figures;
    }

    private static void vendorFigures(Scenario scenario, Map<String, Long> stats, AppRun.Result result, int valid,
            Map<String, Double> figures) {
        long posts = stats.get("posts");
        figures.put("submit_s", result.stepSeconds("submitStep"));
        figures.put("ttfr_s", (stats.get("firstRequestMs") - result.startedMs()) / 1000.0);
        double span = (stats.get("lastPostMs") - stats.get("firstPostMs")) / 60_000.0;
        double perMinute = (posts > 1 && span > 0) ? (posts - 1) / span : Double.NaN;
        figures.put("sent_per_min", perMinute);
        figures.put("pct_budget", (scenario.vendorRequestsPerMinute() > 0)
                ? 100 * perMinute / scenario.vendorRequestsPerMinute() : Double.NaN);
        figures.put("submit_rows_s", valid / result.stepSeconds("submitStep"));
        figures.put("in_flight", stats.get("peakInFlight").doubleValue());
        figures.put("429s", stats.get("rateLimited").doubleValue());
        figures.put("pct_429", 100.0 * stats.get("rateLimited") / Math.max(1, stats.get("requests")));
        figures.put("created", stats.get("created").doubleValue());
        if (stats.get("created") != valid || stats.get("duplicates") != 0 || stats.get("otherErrors") != 0) {
            System.out.println("  WARNING: " + stats.get("created") + " actions created for " + valid
                    + " valid rows, " + stats.get("duplicates") + " duplicates, " + stats.get("otherErrors")
                    + " error responses; see " + result.log());
        }
    }

    private void baseline(Scenario scenario, SandboxProcess sandbox, RowsFile rows, AppRun.Result result,
            Map<String, Double> figures) throws Exception {
        // A fresh vendor state: the same rows again, and a fresh rate-limit window.
        sandbox.reset();
        SequentialBaseline.Result baseline = new SequentialBaseline(sandbox.baseUri(), SandboxServer.sandboxKey())
            .run(rows, scenario.rows(), this.options.baselineTime);
        int valid = rows.validRows(scenario.rows());
        figures.put("baseline_rows_s", baseline.rowsPerSecond());
        figures.put("baseline_s", baseline.projectedSeconds(valid));
        figures.put("speedup", baseline.projectedSeconds(valid) / result.wallSeconds());
        Map<String, Long> stats = sandbox.stats();
        if (stats.get("created") != baseline.created()) {
            System.out.println("  WARNING: the baseline saw " + baseline.created() + " created, the vendor "
                    + stats.get("created"));
        }
    }

    /** The same staging work without Spring Batch, in a JVM like the application's (see StageCeiling). */
    private void ceiling(Scenario scenario, Path csv, Path workDir, Map<String, Double> figures) throws Exception {
        List<String> command = new ArrayList<>(List.of(this.java));
        command.addAll(scenario.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StageCeiling.class.getName(),
                csv.toString(), workDir.resolve("ceiling").resolve("db").toString(),
                Integer.toString(STAGE_CHUNK_SIZE)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        String line = output.lines().filter((l) -> l.startsWith("CEILING ")).findFirst().orElse(null);
        if (line == null) {
            System.out.println("  WARNING: the stage ceiling did not run:\n" + output);
            return;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : line.substring("CEILING ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
        figures.put("ceiling_rows_s", values.get("rowsPerSecond"));
        figures.put("ceiling_rows_cpu_s", values.get("rowsPerCpuSecond"));
        figures.put("ceiling_process_rows_s", values.get("processOnlyRowsPerSecond"));
        figures.put("ceiling_insert_rows_s", values.get("insertOnlyRowsPerSecond"));
        deleteTree(workDir.resolve("ceiling"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
                try {
                    Files.delete(path);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    /** The command line. */
    static final class Options {

        int runs = 3;

        List<Scenario> scenarios = Scenario.all();

        Path jar = Path.of("target", "bulk-offboarding.jar");

        Duration baselineTime = Duration.ofSeconds(20);

        List<String> jvmOptions = new ArrayList<>();

        List<String> appArgs = new ArrayList<>();

        boolean profile;

        boolean keep;

        boolean ceiling = true;

        String launch = "jar";

        /** An administrative JDBC URL: run against a fresh PostgreSQL database instead of an H2 file. */
        String postgres;

        static Options parse(String[] args) {
            Options options = new Options();
            Integer rows = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> options.runs = Integer.parseInt(args[++i]);
                    case "--scenario" -> {
                        List<String> ids = Arrays.asList(args[++i].split(","));
                        options.scenarios = Scenario.all().stream().filter((s) -> ids.contains(s.id())).toList();
                        if (options.scenarios.size() != ids.size()) {
                            throw new IllegalArgumentException("Unknown scenario in " + ids + "; known: "
                                    + Scenario.all().stream().map(Scenario::id).toList());
                        }
                    }
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    case "--baseline-seconds" -> options.baselineTime = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--jar" -> options.jar = Path.of(args[++i]);
                    case "--jvm-option" -> options.jvmOptions.add(args[++i]);
                    case "--app-arg" -> options.appArgs.add(args[++i]);
                    case "--profile" -> options.profile = true;
                    case "--keep" -> options.keep = true;
                    case "--no-ceiling" -> options.ceiling = false;
                    case "--postgres" -> options.postgres = args[++i];
                    case "--launch" -> {
                        options.launch = args[++i];
                        if (!List.of("jar", "cds").contains(options.launch)) {
                            throw new IllegalArgumentException("--launch is jar or cds, not " + options.launch);
                        }
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; see BenchmarkRunner's Javadoc or docs/benchmarks.md");
                }
            }
            if (rows != null) {
                int size = rows;
                options.scenarios = options.scenarios.stream().map((s) -> s.withRows(size)).toList();
            }
            return options;
        }

    }

    /** What the numbers were measured on. */
    static final class Machine {

        private Machine() {
        }

        static double loadAverage() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            }
            catch (IOException | RuntimeException ex) {
                return Double.NaN;
            }
        }

        static String describe() {
            return String.format(Locale.ROOT, "Machine: %d CPUs (%s), %s memory, Java %s (%s), load average %.2f",
                    Runtime.getRuntime().availableProcessors(), procField("/proc/cpuinfo", "model name"),
                    procField("/proc/meminfo", "MemTotal"), System.getProperty("java.version"),
                    System.getProperty("java.vm.name"), loadAverage());
        }

        private static String procField(String file, String name) {
            try {
                return Files.readAllLines(Path.of(file)).stream()
                    .filter((line) -> line.startsWith(name))
                    .map((line) -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("?");
            }
            catch (IOException ex) {
                return "?";
            }
        }

    }

}
