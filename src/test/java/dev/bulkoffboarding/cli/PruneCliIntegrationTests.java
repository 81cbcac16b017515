package dev.bulkoffboarding.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import dev.bulkoffboarding.DatabaseScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code runs prune --older-than 90d} as an operator or a cron job types it. */
@ExtendWith(OutputCaptureExtension.class)
class PruneCliIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void prunesRunsOlderThanTheRetentionPeriodAndRefusesOneShorterThanTheDedupWindow(CapturedOutput output)
            throws Exception {
        // given: the sample sheet, run 100 days ago
        Cli cli = new Cli(this.dir);
        assertThat(cli.run("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8")).isEqualTo(3);
        Instant then = Instant.now().minus(100, ChronoUnit.DAYS);
        try (Connection db = DriverManager.getConnection(cli.databaseUrl(), "sa", "");
                PreparedStatement run = db.prepareStatement("update offboarding_run set created_at = ?");
                PreparedStatement executions = db.prepareStatement("update BATCH_JOB_EXECUTION set CREATE_TIME = ?, "
                        + "START_TIME = ?, END_TIME = ?, LAST_UPDATED = ?")) {
            run.setTimestamp(1, Timestamp.from(then));
            run.executeUpdate();
            LocalDateTime local = LocalDateTime.ofInstant(then, ZoneId.systemDefault());
            for (int i = 1; i <= 4; i++) {
                executions.setObject(i, local);
            }
            executions.executeUpdate();
        }
        assertThat(cli.reports().resolve("1")).isDirectory();

        // when
        int tooShort = cli.run("runs", "prune", "--older-than", "7d");
        int pruned = cli.run("runs", "prune", "--older-than", "90d");

        // then
        assertThat(tooShort).isEqualTo(2);
        assertThat(output).contains("--older-than 7d is shorter than offboarding.dedup-window (30d)")
            .contains("Nothing was deleted.");
        assertThat(pruned).isZero();
        assertThat(output).containsPattern("Pruned 1 run\\(s\\) last active before "
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: 1 "
                + "\\(rows, run records and reports\\)\\.");
        assertThat(cli.reports().resolve("1")).doesNotExist();
        try (var left = Files.list(cli.reports())) {
            assertThat(left).isEmpty();
        }
        try (Connection db = DriverManager.getConnection(cli.databaseUrl(), "sa", "")) {
            assertThat(DatabaseScan.find(db, "john.doe@northwind.example")).isEmpty();
            assertThat(DatabaseScan.find(db, "offboarding-sample.csv")).isEmpty();
        }
    }

}
