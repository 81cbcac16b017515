package dev.bulkoffboarding.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.BulkOffboardingApplication;
import dev.bulkoffboarding.DatabaseScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code runs prune --older-than 90d} as an operator or a cron job types it. A contract: it runs
 * once per database ({@link PruneCliOnH2IntegrationTests}, {@link PruneCliOnPostgresIntegrationTests}).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class PruneCliIntegrationTests {

    @TempDir
    Path dir;

    /** Arguments that point the application at an empty database of this test method's own. */
    abstract List<String> databaseArguments();

    /** A connection of the test's own to that database. */
    abstract Connection connect() throws SQLException;

    int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(databaseArguments());
        all.add("--offboarding.data-dir=" + this.dir.resolve("data"));
        all.add("--offboarding.reports-dir=" + reports());
        all.add("--quipteams.api-key=");
        all.add("--sandbox.latency=0ms");
        all.add("--quipteams.settle-delay=10ms");
        return SpringApplication.exit(SpringApplication.run(BulkOffboardingApplication.class, all.toArray(String[]::new)));
    }

    Path reports() {
        return this.dir.resolve("reports");
    }

    @Test
    void prunesRunsOlderThanTheRetentionPeriodAndRefusesOneShorterThanTheDedupWindow(CapturedOutput output)
            throws Exception {
        // given: the sample sheet, run 100 days ago
        assertThat(cli("run", "sample-data/offboarding-sample.csv", "--confirm-wipes", "8")).isEqualTo(3);
        Instant then = Instant.now().minus(100, ChronoUnit.DAYS);
        try (Connection db = connect();
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
        assertThat(reports().resolve("1")).isDirectory();

        // when
        int tooShort = cli("runs", "prune", "--older-than", "7d");
        int pruned = cli("runs", "prune", "--older-than", "90d");

        // then
        assertThat(tooShort).isEqualTo(2);
        assertThat(output).contains("--older-than 7d is shorter than offboarding.dedup-window (30d)")
            .contains("Nothing was deleted.");
        assertThat(pruned).isZero();
        assertThat(output).containsPattern("Pruned 1 run\\(s\\) last active before "
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: 1 "
                + "\\(rows, run records and reports\\)\\.");
        assertThat(reports().resolve("1")).doesNotExist();
        try (var left = Files.list(reports())) {
            assertThat(left).isEmpty();
        }
        try (Connection db = connect()) {
            assertThat(DatabaseScan.find(db, "john.doe@northwind.example")).isEmpty();
            assertThat(DatabaseScan.find(db, "offboarding-sample.csv")).isEmpty();
        }
    }

}
