package dev.bulkoffboarding.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 1 with real processes: the jar is killed with SIGKILL at many points of the submit
 * step (including between the vendor creating an action and our commit) and started again each
 * time, until the run is complete. The vendor, living in this test's JVM, then holds every valid
 * row exactly once, and the ledger holds every record in exactly one final state.
 */
class KillAndRestartIntegrationTests {

    static final int ROWS = 240;

    @TempDir
    Path dir;

    SandboxServer vendor;

    @BeforeEach
    void vendor() {
        this.vendor = SandboxServer.start(SandboxProperties.defaults()
            .withLatency(Duration.ofMillis(40))
            .withRequestsPerMinute(0));
    }

    @AfterEach
    void stop() {
        this.vendor.close();
    }

    Path sheet() throws IOException {
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("KILL-").append(i).append(i % 2 == 0 ? ",Store," : ",Retrieval,").append("Person ").append(i)
                .append(",p").append(i).append("@acme.com\n");
        }
        return Files.writeString(this.dir.resolve("leavers.csv"), csv);
    }

    String database() {
        return "jdbc:h2:file:" + this.dir.resolve("data").resolve("bulk-offboarding") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    List<String> args(Path sheet) {
        return List.of("run", sheet.toString(),
                "--spring.datasource.url=" + database(),
                "--offboarding.data-dir=" + this.dir.resolve("data"),
                "--offboarding.reports-dir=" + this.dir.resolve("reports"),
                "--offboarding.chunk-size=20",
                "--quipteams.base-url=" + this.vendor.baseUri(),
                "--quipteams.api-key=" + SandboxServer.sandboxKey(),
                "--quipteams.max-in-flight=8",
                "--quipteams.requests-per-minute=60000",
                "--quipteams.settle-delay=100ms",
                // a restart waits these and the settle delay after the last send before reconciling
                "--quipteams.connect-timeout=1s",
                "--quipteams.response-timeout=2s",
                "--quipteams.initial-backoff=20ms",
                "--quipteams.max-backoff=200ms");
    }

    @Test
    void killedAnywhereItResumesWithoutSendingTwiceOrLosingARow() throws Exception {
        // given
        Path sheet = sheet();
        int kills = 0;
        int exitCode = -1;
        StringBuilder transcript = new StringBuilder();

        // when: killed at growing numbers of created actions, right after the vendor answered
        for (int attempt = 0; attempt < 40 && exitCode < 0; attempt++) {
            int target = this.vendor.createdActions().size() + 7 + (attempt % 5) * 3;
            try (ApplicationProcess app = ApplicationProcess.start(this.dir, Map.of(), List.of(), args(sheet))) {
                while (app.isAlive() && this.vendor.createdActions().size() < target) {
                    Thread.onSpinWait();
                }
                if (app.isAlive() && kills < 10) {
                    app.kill();
                    kills++;
                    transcript.append("killed at ").append(this.vendor.createdActions().size()).append('\n');
                }
                else {
                    exitCode = app.waitForExit(Duration.ofMinutes(2));
                    transcript.append(app.output());
                }
            }
        }

        // then
        assertThat(kills).as(transcript.toString()).isGreaterThanOrEqualTo(10);
        assertThat(exitCode).as(transcript.toString()).isZero();
        Map<String, Long> createdPerSerial = this.vendor.createdActions().stream()
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()));
        assertThat(createdPerSerial).hasSize(ROWS);
        assertThat(createdPerSerial).as("device actions created more than once\n" + transcript)
            .allSatisfy((serial, count) -> assertThat(count).as(serial).isEqualTo(1L));
        Map<String, String> vendorIdBySerial = new HashMap<>();
        this.vendor.createdActions().forEach((action) -> vendorIdBySerial.put(action.serialNumber(), action.id()));
        List<String[]> ledger = ledgerRows();
        assertThat(ledger).hasSize(ROWS);
        for (String[] row : ledger) {
            assertThat(row[1]).as("state of " + row[0]).isEqualTo("SUBMITTED");
            assertThat(row[2]).as("vendor id of " + row[0]).isEqualTo(vendorIdBySerial.get(row[0]));
        }
    }

    @Test
    void sigtermStopsCleanlyAndTheRunResumes() throws Exception {
        // given
        Path sheet = sheet();
        this.vendor.setLatency(Duration.ofMillis(150));
        String output;
        try (ApplicationProcess app = ApplicationProcess.start(this.dir, Map.of(), List.of(), args(sheet))) {
            while (app.isAlive() && this.vendor.createdActions().size() < 30) {
                Thread.onSpinWait();
            }

            // when
            app.terminate();
            assertThat(app.waitForExit(Duration.ofSeconds(60))).as(app.output()).isEqualTo(1);
            output = app.output();
        }

        // then: stopped, nothing left in flight, and the rest is sent by running it again
        assertThat(output).contains("Stopping: letting the requests in flight finish")
            .containsPattern("Run \\d+ stopped: \\d+ submitted, 0 need attention, 0 to retry \\(exit 1");
        assertThat(states()).as(output).doesNotContainKey("SUBMITTING");
        assertThat(runStatus()).isEqualTo("STOPPED");
        int sentBefore = this.vendor.createdActions().size();
        assertThat(sentBefore).isLessThan(ROWS);

        try (ApplicationProcess app = ApplicationProcess.start(this.dir, Map.of(), List.of(), args(sheet))) {
            assertThat(app.waitForExit(Duration.ofMinutes(2))).as(app.output()).isZero();
        }
        assertThat(this.vendor.createdActions()).hasSize(ROWS);
        assertThat(this.vendor.createdActions().stream().map(SandboxServer.CreatedAction::serialNumber).distinct())
            .hasSize(ROWS);
    }

    List<String[]> ledgerRows() throws SQLException {
        List<String[]> rows = new ArrayList<>();
        query("select serial_number, state, vendor_id from offboarding_row order by line_number",
                (rs) -> rows.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) }));
        return rows;
    }

    Map<String, Integer> states() throws SQLException {
        Map<String, Integer> states = new HashMap<>();
        query("select state, count(*) from offboarding_row group by state",
                (rs) -> states.put(rs.getString(1), rs.getInt(2)));
        return states;
    }

    String runStatus() throws SQLException {
        List<String> status = new ArrayList<>();
        query("select status from batch_job_execution order by job_execution_id desc", (rs) -> status.add(rs.getString(1)));
        return status.get(0);
    }

    interface RowHandler {

        void handle(ResultSet rs) throws SQLException;

    }

    void query(String sql, RowHandler handler) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database(), "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                handler.handle(rs);
            }
        }
    }

}
