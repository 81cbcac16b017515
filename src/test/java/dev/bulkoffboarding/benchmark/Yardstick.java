package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.InputOptions;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowValidator;
import tools.jackson.databind.json.JsonMapper;

/**
 * How fast this machine runs our own code, so that figures from two machines can be compared: the
 * CPU time of one thread to parse, validate and serialise a generated file (the staging work of
 * {@link StageCeiling} without the database). Two figures: the first round, while classes load and
 * the JIT compiles (what start-up and short runs feel), and the best round after it (compiled code).
 * Machines of the same description can differ several times over in the first and not in the
 * second; the load average shows neither.
 */
final class Yardstick {

    static final int ROWS = 50_000;

    static final int ROUNDS = 4;

    private Yardstick() {
    }

    /** CPU microseconds per row: the first round and the best of {@link #ROUNDS} rounds. */
    static Result measure(Path workDir) throws IOException {
        Path csv = new RowsFile("YARD-", 100).write(workDir.resolve("yardstick.csv"), ROWS);
        JsonMapper json = JsonMapper.builder().build();
        RowValidator validator = new RowValidator(RowRules.defaults());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long first = 0;
        long best = Long.MAX_VALUE;
        long checksum = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                long start = threads.getCurrentThreadCpuTime();
                try (CsvInput input = CsvInput.open(csv, InputOptions.defaults())) {
                    while (input.hasNext()) {
                        checksum += StageCeiling.stage(input.next(), validator, json).line();
                    }
                }
                long cpu = threads.getCurrentThreadCpuTime() - start;
                first = (round == 0) ? cpu : first;
                best = Math.min(best, cpu);
            }
        }
        finally {
            Files.deleteIfExists(csv);
        }
        if (checksum == 0) {
            throw new IllegalStateException("the yardstick staged no rows");
        }
        return new Result(first / 1e3 / ROWS, best / 1e3 / ROWS);
    }

    record Result(double firstMicrosPerRow, double bestMicrosPerRow) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Yardstick: CPU µs per row to parse, validate and serialise %,d rows: "
                    + "%.1f in the first round (classes loading, JIT compiling), %.1f at best of %d (compiled); "
                    + "compare figures only between machines whose yardsticks agree", ROWS, this.firstMicrosPerRow,
                    this.bestMicrosPerRow, ROUNDS);
        }

    }

}
