package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the real executable jar as a child process, as an operator would start it, with
 * what it cost: wall time, CPU time, peak RSS ({@code VmHWM}, sampled from {@code /proc} while
 * it runs), heap figures from its own GC log, and the time each job step took (read from the
 * job repository in its H2 file once it has ended).
 */
final class AppRun {

    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private static final Pattern HEAP_AT_EXIT = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private AppRun() {
    }

    /** The figures of one run; times are Unix milliseconds, sizes MiB. */
    record Result(int exitCode, long startedMs, long endedMs, double cpuSeconds, double peakRssMb,
            double peakHeapMb, double liveHeapMb, double liveSetMb, int gcPauses, Map<String, long[]> steps, long jobStartMs,
            long jobEndMs, Path log) {

        double wallSeconds() {
            return (this.endedMs - this.startedMs) / 1000.0;
        }

        double stepSeconds(String step) {
            long[] times = this.steps.get(step);
            // a step that failed or never ended has no end time
            return (times == null || times[0] == 0 || times[1] == 0) ? Double.NaN : (times[1] - times[0]) / 1000.0;
        }

    }

    /**
     * @param java the java executable
     * @param jvmOptions options for the jar's JVM (heap, JFR...)
     * @param appArgs the command, its file and Spring properties
     * @param environment extra environment variables (the API key)
     * @param workDir where the log, the GC log and the database go
     */
    static Result run(String java, Path jar, List<String> jvmOptions, List<String> appArgs,
            Map<String, String> environment, Path workDir, Database database, boolean liveSet)
            throws IOException, InterruptedException {
        Path gcLog = workDir.resolve("gc.log");
        Path log = workDir.resolve("app.log");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
        command.addAll(jvmOptions);
        // The figures are about sending; the benchmark sandbox's inventory has no end, which would
        // make the preflight page as much as it may (a command-line setting still wins over this).
        command.add("-Doffboarding.preflight.enabled=false");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(appArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);

        long started = System.currentTimeMillis();
        Process process = builder.start();
        Sampler sampler = new Sampler(process.pid(), liveSet);
        sampler.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The run did not end within 30 minutes; see " + log);
        }
        long ended = System.currentTimeMillis();
        sampler.interrupt();
        sampler.join();

        double[] heap = heap(gcLog);
        Map<String, long[]> steps = new HashMap<>();
        long[] job = readSteps(database, steps);
        return new Result(process.exitValue(), started, ended, sampler.cpuTicks / (double) CLOCK_TICKS_PER_SECOND,
                sampler.peakRssKb / 1024.0, heap[0], heap[1], sampler.liveSetBytes / (1024.0 * 1024.0), (int) heap[2], steps, job[0], job[1], log);
    }

    /** Peak heap used (the largest before-GC figure, or at exit), largest after-GC figure, pauses. */
    static double[] heap(Path gcLog) throws IOException {
        double peak = 0;
        double live = 0;
        int pauses = 0;
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher pause = GC_PAUSE.matcher(line);
            if (pause.find() && line.contains("Pause")) {
                pauses++;
                peak = Math.max(peak, Double.parseDouble(pause.group(1)));
                live = Math.max(live, Double.parseDouble(pause.group(2)));
            }
            Matcher exit = HEAP_AT_EXIT.matcher(line);
            if (exit.find()) {
                peak = Math.max(peak, Double.parseDouble(exit.group(2)) / 1024);
            }
        }
        return new double[] { peak, live, pauses };
    }

    /** Where a run keeps its job repository and ledger: how the application and the benchmark reach it. */
    record Database(String url, String username, String password) {

        /** The embedded default: an H2 file of the run's own. */
        static Database h2(Path file) {
            return new Database("jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", "sa", "");
        }

        List<String> appArgs() {
            return List.of("--spring.datasource.url=" + this.url, "--spring.datasource.username=" + this.username,
                    "--spring.datasource.password=" + this.password);
        }

    }

    /** Each step's start and end, and the job's, from Spring Batch's tables. */
    private static long[] readSteps(Database database, Map<String, long[]> steps) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.username(),
                database.password());
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("select step_name, start_time, end_time "
                    + "from batch_step_execution order by step_execution_id")) {
                while (rs.next()) {
                    steps.put(rs.getString(1), new long[] { millis(rs.getTimestamp(2)), millis(rs.getTimestamp(3)) });
                }
            }
            try (ResultSet rs = statement.executeQuery("select start_time, end_time from batch_job_execution "
                    + "order by job_execution_id desc")) {
                if (rs.next()) {
                    return new long[] { millis(rs.getTimestamp(1)), millis(rs.getTimestamp(2)) };
                }
            }
        }
        catch (SQLException ex) {
            System.err.println("  (could not read the job's step times: " + ex.getMessage() + ")");
        }
        return new long[] { 0, 0 };
    }

    private static long millis(Timestamp timestamp) {
        // Spring Batch stores local date-times; this JVM shares the machine's time zone.
        return (timestamp == null) ? 0 : timestamp.getTime();
    }

    /**
     * Samples the child's peak RSS and CPU time from /proc until interrupted (Linux only) and, when
     * asked, its live set: every few seconds {@code jcmd GC.class_histogram} makes it collect all
     * garbage and counts what is left. The GC log alone cannot tell the live set: a young
     * collection leaves the old generation's garbage in place.
     */
    private static final class Sampler extends Thread {

        private static final long LIVE_SET_INTERVAL_MS = 3_000;

        private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)", Pattern.MULTILINE);

        private final long pid;

        private final boolean liveSet;

        volatile long liveSetBytes;

        private final Path status;

        private final Path stat;

        volatile long peakRssKb;

        volatile long cpuTicks;

        Sampler(long pid, boolean liveSet) {
            this.pid = pid;
            this.liveSet = liveSet;
            this.status = Path.of("/proc", Long.toString(pid), "status");
            this.stat = Path.of("/proc", Long.toString(pid), "stat");
            setDaemon(true);
        }

        @Override
        public void run() {
            long nextLiveSet = System.currentTimeMillis() + LIVE_SET_INTERVAL_MS;
            while (!isInterrupted()) {
                sample();
                if (this.liveSet && System.currentTimeMillis() >= nextLiveSet) {
                    sampleLiveSet();
                    nextLiveSet = System.currentTimeMillis() + LIVE_SET_INTERVAL_MS;
                }
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        }

        private void sampleLiveSet() {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(this.pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
                String output = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                histogram.waitFor();
                Matcher total = HISTOGRAM_TOTAL.matcher(output);
                if (total.find()) {
                    this.liveSetBytes = Math.max(this.liveSetBytes, Long.parseLong(total.group(1)));
                }
            }
            catch (IOException ex) {
                // the process has just ended
            }
            catch (InterruptedException ex) {
                interrupt();
            }
        }

        private void sample() {
            try {
                for (String line : Files.readAllLines(this.status)) {
                    if (line.startsWith("VmHWM:")) {
                        this.peakRssKb = Math.max(this.peakRssKb,
                                Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                String stat = Files.readString(this.stat);
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name
                this.cpuTicks = Math.max(this.cpuTicks, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            }
            catch (IOException | RuntimeException ex) {
                // the process has just ended: keep the last sample
            }
        }

    }

}
