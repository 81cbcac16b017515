package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.InputFileException;
import dev.bulkoffboarding.input.InputOptions;

/**
 * What a file must pass before any run of it exists: it is readable, it parses from its first
 * line to its last within the input limits, and its content has a SHA-256 (the run's identity).
 * A file that fails is refused with exit code 2 and nothing is sent; a file that passes may still
 * hold invalid rows, which are data the run reports.
 *
 * <p>Not to be confused with the vendor preflight (what the vendor already knows about the
 * devices), which runs inside a run.
 */
final class RunPrechecks {

    private final OffboardingProperties properties;

    RunPrechecks(OffboardingProperties properties) {
        this.properties = properties;
    }

    Result check(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Result.refused("Cannot read " + file + ": no such file, or not readable.");
        }
        InputOptions options = this.properties.input().options();
        List<String> warnings;
        // The whole file is parsed once before any run exists, streaming: a structural problem or a
        // broken limit anywhere in it (an unclosed quote on line 900,000, a row of 10,000 cells, one
        // record too many) refuses the file with its line, instead of failing a run half-way through
        // staging. Values are not validated here: invalid rows are data, reported by the run.
        try (CsvInput csv = CsvInput.open(file, options)) {
            while (csv.hasNext()) {
                csv.next();
            }
            warnings = List.copyOf(csv.warnings());
        }
        catch (InputFileException ex) {
            return Result.refused(ex.getMessage());
        }
        catch (Exception ex) {
            return Result.refused("Cannot read " + file + ": " + ex.getMessage());
        }
        try {
            return new Result(RunIdentity.sha256(file), warnings, null);
        }
        catch (IOException ex) {
            return Result.refused("Cannot read " + file + ": " + ex.getMessage());
        }
    }

    /**
     * @param sha256 the file's SHA-256 when it passed, else null
     * @param warnings what the operator should know about a file that passed (dialect guesses)
     * @param problem why the file is refused, naming file and line; null when it passed
     */
    record Result(String sha256, List<String> warnings, String problem) {

        static Result refused(String problem) {
            return new Result(null, List.of(), problem);
        }

    }

}
