package dev.bulkoffboarding.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackingProperties;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** tracking.csv: its columns, the vendor's text made safe for spreadsheets, and stalled by the clock. */
class TrackingReportTests {

    private static final Instant SENT = Instant.parse("2026-03-01T10:00:00Z");

    private final TrackingProperties properties = new TrackingProperties(Duration.ofDays(7), "-",
            List.of("Completed"), List.of("Cancelled"));

    @TempDir
    Path dir;

    @Test
    void writesOneLinePerActionWithTheVendorsTextNeutralised() throws Exception {
        // given: a vendor whose status and tracking link would be formulas in a spreadsheet
        TrackedAction hostile = anAction(2, "=HYPERLINK(\"http://evil\")", "@SUM(1)", SENT.plusSeconds(60), true);
        TrackedAction neverSeen = new TrackedAction(1, 3, "C02B", "Retrieval", "DA-2", "uuid-2", false, SENT, SENT,
                null, Map.of(), null, null, null, null, null, null);

        // when
        Path file = new TrackingReport().write(this.dir.resolve("1"), List.of(hostile, neverSeen), this.properties,
                SENT.plus(Duration.ofDays(1)));

        // then
        List<CSVRecord> records = CSVFormat.RFC4180.parse(Files.newBufferedReader(file)).getRecords();
        assertThat(records.get(0).values()).containsExactly("line", "serial_number", "action_type", "action_id",
                "vendor_status", "tracking_code", "tracking_link", "wipe", "wipe_completed", "updated_at",
                "last_checked_at", "stalled");
        assertThat(records.get(1).values()).containsExactly("2", "C02A", "Store", "DA-1",
                "'=HYPERLINK(\"http://evil\")", "SBX1", "'@SUM(1)", "true", "true", "2026-03-01T10:01:00Z",
                "2026-03-01T10:01:00Z", "false");
        assertThat(records.get(2).values()).containsExactly("3", "C02B", "Retrieval", "DA-2", "", "", "", "false", "",
                "", "", "false");
    }

    @Test
    void anOpenActionUnchangedForTheStalledAfterIsStalledAndAFinishedOneNever() {
        // given
        TrackedAction open = anAction(2, "In Progress", null, SENT, false);
        TrackedAction completed = anAction(3, "completed", null, SENT, true);
        Instant almost = SENT.plus(Duration.ofDays(7)).minusSeconds(1);
        Instant week = SENT.plus(Duration.ofDays(7));

        // then
        assertThat(open.isStalled(this.properties, almost)).isFalse();
        assertThat(open.isStalled(this.properties, week)).isTrue();
        assertThat(completed.isStalled(this.properties, week.plus(Duration.ofDays(100)))).isFalse();
        assertThat(TrackingReport.cells(open, this.properties, week).get(11)).isEqualTo("true");
    }

    private static TrackedAction anAction(long line, String status, String link, Instant updatedAt,
            boolean wipeCompleted) {
        return new TrackedAction(1, line, (line == 2) ? "C02A" : "C02C", "Store", "DA-1", "uuid-1", true, SENT, SENT,
                status, Map.of(), "SBX1", link, wipeCompleted, updatedAt, updatedAt, updatedAt);
    }

}
