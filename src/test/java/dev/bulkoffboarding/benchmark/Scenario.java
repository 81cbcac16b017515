package dev.bulkoffboarding.benchmark;

import java.util.List;

/**
 * One benchmark scenario: what the fake vendor is like, what the user runs, and the target.
 *
 * @param id short name used on the command line ({@code --scenario a,b})
 * @param title what it measures
 * @param command {@code run} or {@code validate}
 * @param rows records in the generated file
 * @param latencyMillis the sandbox's latency per response
 * @param vendorRequestsPerMinute the sandbox's budget per key; 0 = unlimited
 * @param clientRequestsPerMinute {@code quipteams.requests-per-minute} given to the application; 0 = not
 * set (the default: the application follows the vendor's {@code X-RateLimit-Limit})
 * @param invalidEvery every n-th row is invalid (0 = none)
 * @param jvmOptions options for the application's JVM beyond the defaults
 * @param target the target, in words
 * @param existingDatabase whether the database already exists (created by an earlier command, as on
 * every day but the first) rather than being created by the measured run
 * @param vendorRealPerSecond the sandbox's real limit behind its advertised budget (a token bucket,
 * requests per second); 0 = none
 */
record Scenario(String id, String title, String command, int rows, long latencyMillis, int vendorRequestsPerMinute,
        int clientRequestsPerMinute, int invalidEvery, List<String> jvmOptions, String target,
        boolean existingDatabase, double vendorRealPerSecond) {

    Scenario(String id, String title, String command, int rows, long latencyMillis, int vendorRequestsPerMinute,
            int clientRequestsPerMinute, int invalidEvery, List<String> jvmOptions, String target,
            boolean existingDatabase) {
        this(id, title, command, rows, latencyMillis, vendorRequestsPerMinute, clientRequestsPerMinute, invalidEvery,
                jvmOptions, target, existingDatabase, 0);
    }

    Scenario(String id, String title, String command, int rows, long latencyMillis, int vendorRequestsPerMinute,
            int clientRequestsPerMinute, int invalidEvery, List<String> jvmOptions, String target) {
        this(id, title, command, rows, latencyMillis, vendorRequestsPerMinute, clientRequestsPerMinute, invalidEvery,
                jvmOptions, target, false);
    }

    /** Effectively no budget: larger than anything one process can send. */
    static final int NO_BUDGET = 1_000_000;

    static List<Scenario> all() {
        return List.of(
                new Scenario("e", "time to first request (200 rows)", "run", 200, 250, 1200, 1200, 0, List.of(),
                        "first request < 3 s after the process starts"),
                new Scenario("e2", "time to first request (200 rows), database already created", "run", 200, 250,
                        1200, 1200, 0, List.of(), "first request < 3 s after the process starts", true),
                new Scenario("a", "2,000 rows, 1,200/min budget, 250 ms latency", "run", 2000, 250, 1200, 1200, 0,
                        List.of(), ">= 97 % of the budget, zero 429"),
                new Scenario("f", "2,000 rows, 1,200/min advertised, requests-per-minute not set, 250 ms latency",
                        "run", 2000, 250, 1200, 0, 0, List.of(),
                        ">= 97 % of the budget, zero 429, >= 4.5x the sequential client"),
                new Scenario("g", "300 rows, a real limit of 2/s behind a 600/min header, 250 ms latency", "run", 300,
                        250, 600, 0, 0, List.of(), "429s < 10 % of requests, no row failed", false, 2),
                new Scenario("b", "2,000 rows, 600/min budget, 2 s latency", "run", 2000, 2000, 600, 600, 0, List.of(),
                        ">= 95 % of the budget"),
                new Scenario("c", "10,000 rows, no budget, 20 ms latency", "run", 10_000, 20, 0, NO_BUDGET, 0,
                        List.of(), ">= 400 rows/s end to end"),
                new Scenario("d100k", "validate 100,000 rows (for the heap's flatness)", "validate", 100_000, 0, 0,
                        NO_BUDGET, 100, List.of("-Xmx256m"), "heap as for 1,000,000 rows"),
                new Scenario("d", "validate 1,000,000 rows", "validate", 1_000_000, 0, 0, NO_BUDGET, 100,
                        List.of("-Xmx256m"), ">= 100,000 rows/s staged, heap < 256 MB"));
    }

    /** Whether to measure {@link StageCeiling} after each run: once, on the smaller file, is enough. */
    boolean ceiling() {
        return !sends() && this.rows <= 200_000;
    }

    boolean sends() {
        return this.command.equals("run");
    }

    Scenario withRows(int rows) {
        return new Scenario(this.id, this.title, this.command, rows, this.latencyMillis, this.vendorRequestsPerMinute,
                this.clientRequestsPerMinute, this.invalidEvery, this.jvmOptions, this.target, this.existingDatabase,
                this.vendorRealPerSecond);
    }

}
