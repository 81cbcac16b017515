package dev.bulkoffboarding.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.input.SpreadsheetCells;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Writes a run's reports from the ledger, streaming: {@code results.csv} (one line per CSV
 * record), {@code failures.csv} (the rows a person must fix, in the input's own columns plus
 * {@code error}, ready to be fed back) and {@code summary.json}. Every cell is neutralised against
 * formula injection, and the files are readable by their owner only: they hold personal data.
 */
@Component
public class ReportWriter {

    /** The columns of results.csv. */
    public static final List<String> RESULT_HEADERS = List.of("line", "serial_number", "action_type", "outcome",
            "action_id", "http_status", "attempts", "message");

    private static final TypeReference<List<String>> CELLS = new TypeReference<>() {
    };

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Ledger ledger;

    private final JsonMapper json;

    public ReportWriter(Ledger ledger, JsonMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /** Writes the three reports of a run into {@code directory}, replacing earlier ones. */
    public Path write(Path directory, RunSummary summary, List<String> inputHeaders) {
        try {
            createPrivateDirectory(directory);
            writeResults(directory.resolve("results.csv"), summary.runId());
            writeFailures(directory.resolve("failures.csv"), summary.runId(), inputHeaders);
            try (Writer out = privateWriter(directory.resolve("summary.json"))) {
                out.write(this.json.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
                out.write('\n');
            }
            return directory;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write the reports to " + directory, ex);
        }
    }

    private void writeResults(Path file, long runId) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(privateWriter(file), CSVFormat.RFC4180)) {
            printer.printRecord(RESULT_HEADERS);
            this.ledger.forEachResult(runId, (row) -> print(printer, resultCells(row)));
        }
    }

    static List<String> resultCells(LedgerRow row) {
        return List.of(Long.toString(row.line()), text(row.serialNumber()), text(row.actionType()),
                row.state().name(), text(row.actionId()),
                (row.httpStatus() == null) ? "" : row.httpStatus().toString(), Integer.toString(row.attempts()),
                message(row));
    }

    private static String message(LedgerRow row) {
        String message = (row.errorCode() != null && row.errorMessage() != null)
                ? row.errorCode() + ": " + row.errorMessage() : text(row.errorMessage());
        if (row.notice() == null) {
            return message;
        }
        return message.isEmpty() ? "warning: " + row.notice() : message + "; warning: " + row.notice();
    }

    private void writeFailures(Path file, long runId, List<String> inputHeaders) throws IOException {
        try (CSVPrinter printer = new CSVPrinter(privateWriter(file), CSVFormat.RFC4180)) {
            List<String> headers = new ArrayList<>(inputHeaders);
            headers.add("error");
            print(printer, headers);
            this.ledger.forEachRow(runId, RowState.NEEDING_ATTENTION,
                    (row) -> {
                        List<String> cells = new ArrayList<>(this.json.readValue(row.sourceCells(), CELLS));
                        while (cells.size() < inputHeaders.size()) {
                            cells.add("");
                        }
                        List<String> line = new ArrayList<>(cells.subList(0, inputHeaders.size()));
                        line.add(row.state() + " (line " + row.line() + "): " + message(row));
                        print(printer, line);
                    });
        }
    }

    private static void print(CSVPrinter printer, List<String> cells) {
        try {
            List<String> safe = new ArrayList<>(cells.size());
            for (String cell : cells) {
                safe.add(SpreadsheetCells.neutralise(cell));
            }
            printer.printRecord(safe);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String text(String value) {
        return (value == null) ? "" : value;
    }

    static void createPrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (POSIX) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    static Writer privateWriter(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

}
