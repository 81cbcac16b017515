package dev.bulkoffboarding.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Medians and the way figures are printed: one line per run, and a Markdown table per scenario. */
final class Table {

    /** The columns of a scenario that sends: key, heading, decimals. */
    private static final List<Column> SENDING = List.of(new Column("load1", "load", 1),
            new Column("wall_s", "total s", 1), new Column("ttfr_s", "start→1st request s", 2),
            new Column("stage_s", "stage s", 2), new Column("submit_s", "submit s", 1),
            new Column("sent_per_min", "sent/min", 0), new Column("pct_budget", "% of budget", 1),
            new Column("e2e_rows_s", "rows/s end to end", 0), new Column("submit_rows_s", "rows/s in submit", 0),
            new Column("in_flight", "in flight", 0), new Column("429s", "429s", 0),
            new Column("pct_429", "% 429", 1),
            new Column("peak_heap_mb", "heap peak MB", 0), new Column("live_heap_mb", "heap after GC MB", 0),
            new Column("rss_mb", "RSS MB", 0), new Column("cpu_s", "CPU s", 1),
            new Column("baseline_rows_s", "baseline rows/s", 1), new Column("baseline_s", "baseline total s", 0),
            new Column("speedup", "speed-up", 1));

    private static final List<Column> VALIDATING = List.of(new Column("load1", "load", 1),
            new Column("wall_s", "total s", 1), new Column("startup_s", "start-up s", 2),
            new Column("stage_s", "stage s", 2), new Column("staged_rows_s", "rows/s staged", 0),
            new Column("gate_s", "gate s", 2), new Column("after_job_s", "reports+exit s", 2),
            new Column("e2e_rows_s", "rows/s end to end", 0), new Column("peak_heap_mb", "heap peak MB", 0),
            new Column("live_heap_mb", "heap after GC MB", 0), new Column("live_set_mb", "live set MB", 0),
            new Column("rss_mb", "RSS MB", 0), new Column("cpu_s", "CPU s", 1), new Column("ceiling_rows_s", "ceiling rows/s", 0),
            new Column("ceiling_rows_cpu_s", "ceiling rows/CPU-s", 0),
            new Column("ceiling_process_rows_s", "ceiling: parse+validate+JSON rows/CPU-s", 0),
            new Column("ceiling_insert_rows_s", "ceiling: ledger insert rows/CPU-s", 0));

    private Table() {
    }

    private record Column(String key, String heading, int decimals) {

        String format(Map<String, Double> figures) {
            Double value = figures.get(this.key);
            if (value == null || value.isNaN()) {
                return "–";
            }
            return String.format(Locale.ROOT, "%,." + this.decimals + "f", value);
        }

    }

    private static List<Column> columns(Scenario scenario) {
        return scenario.sends() ? SENDING : VALIDATING;
    }

    static String oneLine(Scenario scenario, Map<String, Double> figures) {
        List<String> parts = new ArrayList<>();
        for (Column column : columns(scenario)) {
            parts.add(column.heading() + " " + column.format(figures));
        }
        return String.join(", ", parts);
    }

    static String markdown(Scenario scenario, List<Map<String, Double>> runs, Map<String, Double> median) {
        List<Column> columns = columns(scenario);
        StringBuilder out = new StringBuilder();
        out.append("## ").append(scenario.id()).append(": ").append(scenario.title()).append("\n\n")
            .append("Target: ").append(scenario.target()).append(" — ").append(Targets.verdict(scenario, median))
            .append("\n\n| run |");
        columns.forEach((column) -> out.append(' ').append(column.heading()).append(" |"));
        out.append("\n|---|");
        columns.forEach((column) -> out.append("---:|"));
        out.append('\n');
        for (int i = 0; i < runs.size(); i++) {
            row(out, Integer.toString(i + 1), columns, runs.get(i));
        }
        row(out, "**median**", columns, median);
        return out.toString();
    }

    private static void row(StringBuilder out, String name, List<Column> columns, Map<String, Double> figures) {
        out.append("| ").append(name).append(" |");
        columns.forEach((column) -> out.append(' ').append(column.format(figures)).append(" |"));
        out.append('\n');
    }

    /** The median of each figure over the runs (the mean of the middle two for an even count). */
    static Map<String, Double> median(List<Map<String, Double>> runs) {
        Map<String, Double> median = new LinkedHashMap<>();
        for (String key : runs.get(0).keySet()) {
            double[] values = runs.stream().mapToDouble((run) -> run.getOrDefault(key, Double.NaN)).sorted().toArray();
            int n = values.length;
            median.put(key, (n % 2 == 1) ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
        }
        return median;
    }

}
