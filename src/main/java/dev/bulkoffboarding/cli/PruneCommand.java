package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunRetention;
import dev.bulkoffboarding.job.RunRetention.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/** {@code runs prune --older-than 90d}: retention of the personal data that runs keep. */
@Component
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = { "Delete what old runs and validations keep about people: their rows, their run records "
                + "and their report folders.",
                "A run is old when its last activity is older than --older-than. A completed run leaves only its "
                        + "job instance's key and its status, so that its file is still refused if run again.",
                "Runs that are still going are left alone." })
class PruneCommand implements Callable<Integer> {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private final RunRetention retention;

    @Option(names = "--older-than", required = true, paramLabel = "AGE", converter = AgeConverter.class,
            description = "the retention period, such as 90d or 2160h; at least offboarding.dedup-window (30d)")
    Duration olderThan;

    @Option(names = "--dry-run", description = "list the runs that would be pruned, delete nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    PruneCommand(RunRetention retention) {
        this.retention = retention;
    }

    @Override
    public Integer call() {
        PrintWriter out = this.spec.commandLine().getOut();
        PruneResult result;
        try {
            result = this.retention.prune(this.olderThan, this.dryRun);
        }
        catch (IllegalArgumentException ex) {
            this.spec.commandLine().getErr().println(ex.getMessage() + " Nothing was deleted.");
            return ExitCodes.USAGE;
        }
        String runs = result.pruned().stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (result.pruned().isEmpty()) {
            out.printf(Locale.ROOT, "No run was last active before %s: nothing to prune.%n",
                    DAY.format(result.cutoff()));
        }
        else {
            out.printf(Locale.ROOT, "%s %d run(s) last active before %s: %s (rows, run records and reports).%n",
                    result.dryRun() ? "Would prune" : "Pruned", result.pruned().size(), DAY.format(result.cutoff()),
                    runs);
        }
        result.kept().forEach((reason) -> out.println("Kept: " + reason));
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code 90d}, {@code 2160h}, {@code P90D}: Spring Boot's duration formats. */
    static class AgeConverter implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            Duration age = DurationStyle.detectAndParse(value);
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("must be positive, was " + value);
            }
            return age;
        }

    }

}
