package dev.bulkoffboarding.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.Ledger.DeviceRow;
import dev.bulkoffboarding.rows.Ledger.Duplicate;
import dev.bulkoffboarding.rows.RowState;

/**
 * The gate's checks per device, in one pass over the run's rows sorted by device: a device asked
 * for more than one kind of action makes all its rows INVALID (nobody can tell which line is
 * meant); otherwise a VALID row that repeats an earlier VALID row's action is a DUPLICATE. Only
 * one device is held at a time, and the marks are written in batches, so the memory needed does
 * not grow with the file.
 */
final class DeviceChecks implements Consumer<DeviceRow> {

    /** Lines named in the reason of a conflict; more are shown as "...". */
    static final int LINES_NAMED = 10;

    private static final int BATCH = 1000;

    private final Ledger ledger;

    private final long runId;

    private final Map<String, String> conflicts = new LinkedHashMap<>();

    private final List<Duplicate> duplicates = new ArrayList<>();

    private int conflictingDevices;

    private int duplicateRows;

    // the device being read
    private String serialKey;

    private final Set<String> actions = new LinkedHashSet<>();

    private final List<DeviceRow> firstLines = new ArrayList<>();

    private final Map<String, Long> firstValidLine = new LinkedHashMap<>();

    private final List<Duplicate> deviceDuplicates = new ArrayList<>();

    DeviceChecks(Ledger ledger, long runId) {
        this.ledger = ledger;
        this.runId = runId;
    }

    @Override
    public void accept(DeviceRow row) {
        if (!row.serialKey().equals(this.serialKey)) {
            endDevice();
            this.serialKey = row.serialKey();
        }
        this.actions.add(row.actionType());
        if (this.firstLines.size() < LINES_NAMED) {
            this.firstLines.add(row);
        }
        if (this.actions.size() == 1 && row.state() == RowState.VALID) {
            Long first = this.firstValidLine.putIfAbsent(row.actionType(), row.line());
            if (first != null) {
                this.deviceDuplicates.add(new Duplicate(row.line(), first));
            }
        }
    }

    /** Ends the pass: writes what is left. */
    void finish() {
        endDevice();
        flushConflicts();
        flushDuplicates();
    }

    int conflictingDevices() {
        return this.conflictingDevices;
    }

    int duplicateRows() {
        return this.duplicateRows;
    }

    private void endDevice() {
        if (this.serialKey == null) {
            return;
        }
        if (this.actions.size() > 1) {
            String named = this.firstLines.stream()
                .map((line) -> "line " + line.line() + " " + line.actionType())
                .collect(Collectors.joining(", "));
            this.conflicts.put(this.serialKey, "conflicting actions for one device (" + named
                    + (this.firstLines.size() == LINES_NAMED ? ", ..." : "") + "): keep one line per device");
            this.conflictingDevices++;
            if (this.conflicts.size() >= BATCH) {
                flushConflicts();
            }
        }
        else {
            this.duplicates.addAll(this.deviceDuplicates);
            this.duplicateRows += this.deviceDuplicates.size();
            if (this.duplicates.size() >= BATCH) {
                flushDuplicates();
            }
        }
        this.serialKey = null;
        this.actions.clear();
        this.firstLines.clear();
        this.firstValidLine.clear();
        this.deviceDuplicates.clear();
    }

    private void flushConflicts() {
        if (!this.conflicts.isEmpty()) {
            this.ledger.markDevicesInvalid(this.runId, this.conflicts);
            this.conflicts.clear();
        }
    }

    private void flushDuplicates() {
        if (!this.duplicates.isEmpty()) {
            this.ledger.markDuplicates(this.runId, this.duplicates);
            this.duplicates.clear();
        }
    }

}
