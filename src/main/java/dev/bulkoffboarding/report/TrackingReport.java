package dev.bulkoffboarding.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.input.SpreadsheetCells;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackingProperties;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import org.springframework.stereotype.Component;

/**
 * Writes {@code tracking.csv}: per action a run created, what the vendor last said about it and
 * whether it is stalled. Like every CSV we write, each cell is safe to open in a spreadsheet (the
 * vendor's status and tracking link are its text, not ours), and the file is its owner's only.
 */
@Component
public class TrackingReport {

    /** The columns of tracking.csv. */
    public static final List<String> HEADERS = List.of("line", "serial_number", "action_type", "action_id",
            "vendor_status", "tracking_code", "tracking_link", "wipe", "wipe_completed", "updated_at",
            "last_checked_at", "stalled");

    /** The file's name in a run's report directory. */
    public static final String FILE_NAME = "tracking.csv";

    /** Writes {@code directory/tracking.csv}, replacing an earlier one. */
    public Path write(Path directory, List<TrackedAction> actions, TrackingProperties properties, Instant now) {
        Path file = directory.resolve(FILE_NAME);
        try {
            ReportWriter.createPrivateDirectory(directory);
            try (CSVPrinter printer = new CSVPrinter(ReportWriter.privateWriter(file), CSVFormat.RFC4180)) {
                printer.printRecord(HEADERS);
                for (TrackedAction action : actions) {
                    List<String> safe = new ArrayList<>();
                    for (String cell : cells(action, properties, now)) {
                        safe.add(SpreadsheetCells.neutralise(cell));
                    }
                    printer.printRecord(safe);
                }
            }
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write " + file, ex);
        }
    }

    static List<String> cells(TrackedAction action, TrackingProperties properties, Instant now) {
        return List.of(Long.toString(action.lineNumber()), text(action.serialNumber()), text(action.actionType()),
                text(action.actionId()), text(action.status()), text(action.trackingCode()),
                text(action.trackingLink()), Boolean.toString(action.wipe()),
                (action.wipeCompleted() == null) ? "" : action.wipeCompleted().toString(),
                text(action.vendorUpdatedAt()), text(action.lastCheckedAt()),
                Boolean.toString(action.isStalled(properties, now)));
    }

    private static String text(Object value) {
        return (value == null) ? "" : value.toString();
    }

}
