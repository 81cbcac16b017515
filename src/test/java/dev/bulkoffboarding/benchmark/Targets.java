package dev.bulkoffboarding.benchmark;

import java.util.Locale;
import java.util.Map;

/** Each scenario's target, checked against the median of its runs. */
final class Targets {

    private Targets() {
    }

    static String verdict(Scenario scenario, Map<String, Double> median) {
        return switch (scenario.id()) {
            case "a" -> met(median.get("pct_budget") >= 97 && median.get("429s") == 0,
                    "%.1f %% of the budget, %.0f 429s", median.get("pct_budget"), median.get("429s"));
            case "f" -> met(median.get("pct_budget") >= 97 && median.get("429s") == 0 && median.get("speedup") >= 4.5,
                    "%.1f %% of the budget, %.0f 429s, %.1fx the sequential client", median.get("pct_budget"),
                    median.get("429s"), median.get("speedup"));
            case "g" -> met(median.get("pct_429") < 10 && median.get("exit") == 0,
                    "%.1f %% of requests answered 429, exit code %.0f", median.get("pct_429"), median.get("exit"));
            case "b" -> met(median.get("pct_budget") >= 95, "%.1f %% of the budget", median.get("pct_budget"));
            case "c" -> met(median.get("e2e_rows_s") >= 400, "%.0f rows/s end to end (%.0f in submit)",
                    median.get("e2e_rows_s"), median.get("submit_rows_s"));
            case "d" -> met(median.get("staged_rows_s") >= 100_000 && median.get("peak_heap_mb") < 256,
                    "%.0f rows/s staged, heap peak %.0f MB, live set %.0f MB", median.get("staged_rows_s"),
                    median.get("peak_heap_mb"), median.get("live_set_mb"));
            case "e", "e2" -> met(median.get("ttfr_s") < 3, "first request %.2f s after start", median.get("ttfr_s"));
            default -> String.format(Locale.ROOT, "heap peak %.0f MB, after GC %.0f MB, live set %.0f MB",
                    median.get("peak_heap_mb"), median.get("live_heap_mb"), median.get("live_set_mb"));
        };
    }

    private static String met(boolean met, String format, Object... args) {
        return (met ? "met (" : "NOT met (") + String.format(Locale.ROOT, format, args) + ")";
    }

}
