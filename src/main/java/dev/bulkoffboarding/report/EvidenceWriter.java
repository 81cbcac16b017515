package dev.bulkoffboarding.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import dev.bulkoffboarding.input.SpreadsheetCells;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackedActions.StatusEvent;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes {@code evidence.csv}: per device a run sent, what an auditor asks for ("prove that laptop
 * C02… was wiped") without the vendor's dashboard: the row, the vendor's action id, who started
 * the run and how its wipes were confirmed, when the request left, each status with its time, and
 * whether the wipe was requested and completed. No names or e-mail addresses: the serial number
 * identifies the device. Every cell is neutralised against formula injection.
 */
public final class EvidenceWriter {

    /** The columns of evidence.csv. */
    public static final List<String> HEADERS = List.of("run_id", "line", "serial_number", "action_type", "action_id",
            "vendor_id", "started_by", "wipes_confirmed", "sent_at", "statuses", "vendor_status", "tracking_code",
            "wipe_requested", "wipe_completed", "updated_at", "last_checked_at");

    private EvidenceWriter() {
    }

    /**
     * Writes the evidence of one run to {@code file} (readable by its owner only), replacing an
     * earlier one.
     *
     * @param run who started the run and how its wipes were confirmed
     * @param actions the run's actions in line order
     * @param events the statuses they went through, in line order
     */
    public static Path write(Path file, RunFacts run, List<TrackedAction> actions, List<StatusEvent> events) {
        try {
            ReportWriter.createPrivateDirectory(file.getParent());
            // written aside, then moved into place: two downloads at once never see half a file
            Path partial = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".partial");
            try (CSVPrinter printer = new CSVPrinter(ReportWriter.privateWriter(partial), CSVFormat.RFC4180)) {
                print(printer, HEADERS);
                Iterator<StatusEvent> history = events.iterator();
                StatusEvent next = history.hasNext() ? history.next() : null;
                for (TrackedAction action : actions) {
                    // both lists are in line order: walk them together
                    while (next != null && next.lineNumber() < action.lineNumber()) {
                        next = history.hasNext() ? history.next() : null;
                    }
                    List<String> statuses = new ArrayList<>();
                    while (next != null && next.lineNumber() == action.lineNumber()) {
                        statuses.add(next.status() + " " + time(next.occurredAt()));
                        next = history.hasNext() ? history.next() : null;
                    }
                    print(printer, cells(run, action, statuses));
                }
            }
            catch (IOException | RuntimeException ex) {
                Files.deleteIfExists(partial);
                throw ex;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write " + file, ex);
        }
    }

    static List<String> cells(RunFacts run, TrackedAction action, List<String> statuses) {
        String completed = (action.wipeCompleted() == null) ? "unknown" : action.wipeCompleted().toString();
        return List.of(Long.toString(action.runId()), Long.toString(action.lineNumber()), text(action.serialNumber()),
                text(action.actionType()), text(action.actionId()), text(action.vendorId()), text(run.startedBy()),
                action.wipe() ? text(run.wipesConfirmed()) : "no wipe requested", time(action.sentAt()),
                String.join("; ", statuses), text(action.status()), text(action.trackingCode()),
                Boolean.toString(action.wipe()), action.wipe() ? completed : "", time(action.vendorUpdatedAt()),
                time(action.lastCheckedAt()));
    }

    private static void print(CSVPrinter printer, List<String> cells) throws IOException {
        List<String> safe = new ArrayList<>(cells.size());
        for (String cell : cells) {
            safe.add(SpreadsheetCells.neutralise(cell));
        }
        printer.printRecord(safe);
    }

    private static String time(Instant instant) {
        return (instant == null) ? "" : instant.toString();
    }

    private static String text(String value) {
        return (value == null) ? "" : value;
    }

    /**
     * What evidence.csv says about the run as a whole.
     *
     * @param startedBy who started it: the trigger, the user where one was recorded, the label
     * @param wipesConfirmed how its wipes were confirmed before the first request
     */
    public record RunFacts(String startedBy, String wipesConfirmed) {
    }

}
