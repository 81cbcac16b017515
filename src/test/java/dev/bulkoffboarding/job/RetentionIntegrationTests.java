package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import dev.bulkoffboarding.DatabaseScan;
import dev.bulkoffboarding.job.RunRetention.PruneResult;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendorTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retention: {@code runs prune --older-than 90d} deletes what old runs keep about people, and
 * nothing that a recent run, a running one, or the de-duplication window still needs. A contract:
 * it runs once per database ({@link RetentionOnH2IntegrationTests},
 * {@link RetentionOnPostgresIntegrationTests}).
 */
@SandboxVendorTest
abstract class RetentionIntegrationTests {

    // One vendor per subclass's context: each database variant starts its own and closes it after.
    @Autowired
    SandboxServer vendor;

    @Autowired
    RunService runs;

    @Autowired
    RunRetention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    OffboardingProperties properties;

    @TempDir
    Path dir;

    Path file(String person) throws IOException {
        String serial = "RET-" + person.toUpperCase(Locale.ROOT) + "-" + System.nanoTime();
        return Files.writeString(this.dir.resolve(person + ".csv"), "serial_number,action_type,current_user_name,"
                + "current_user_email,current_user_phone\n" + serial + ",Store," + person + " Private," + person
                + "@private.example,+1-555-0199\n");
    }

    /** Makes a run look as if it was created, and last worked on, that many days ago. */
    void age(long runId, int days) {
        Instant then = Instant.now().minus(days, ChronoUnit.DAYS);
        this.jdbc.update("update offboarding_run set created_at = ? where id = ?", Timestamp.from(then), runId);
        LocalDateTime local = LocalDateTime.ofInstant(then, java.time.ZoneId.systemDefault());
        this.jdbc.update("update BATCH_JOB_EXECUTION set CREATE_TIME = ?, START_TIME = ?, END_TIME = ?, "
                + "LAST_UPDATED = ? where JOB_INSTANCE_ID = ?", local, local, local, local, runId);
    }

    long count(String sql, Object... args) {
        Long count = this.jdbc.queryForObject(sql, Long.class, args);
        return (count == null) ? 0 : count;
    }

    /** Every value of every table, as text, that contains the needle. */
    List<String> everywhere(String needle) {
        return DatabaseScan.find(this.dataSource, needle);
    }

    @Test
    void prunesOldRunsRowsRecordsReportsAndThePersonalPartsOfTheirBatchMetadata() throws IOException {
        // given: an old completed run, an old validation and a recent run
        Path oldFile = file("olivia");
        RunResult old = this.runs.run(RunRequest.of(oldFile));
        RunResult oldValidation = this.runs.validate(file("victor"));
        RunResult recent = this.runs.run(RunRequest.of(file("rita")));
        age(old.summary().runId(), 100);
        age(oldValidation.summary().runId(), 95);
        assertThat(everywhere("olivia@private.example")).isNotEmpty();
        assertThat(old.reportDirectory()).isDirectory();

        // when
        PruneResult result = this.retention.prune(Duration.ofDays(90), false);

        // then: the old ones are gone, with every trace of their people
        assertThat(result.pruned()).contains(old.summary().runId(), oldValidation.summary().runId())
            .doesNotContain(recent.summary().runId());
        for (long runId : List.of(old.summary().runId(), oldValidation.summary().runId())) {
            assertThat(count("select count(*) from offboarding_run where id = ?", runId)).isZero();
            assertThat(count("select count(*) from offboarding_row where run_id = ?", runId)).isZero();
            assertThat(count("select count(*) from BATCH_STEP_EXECUTION s join BATCH_JOB_EXECUTION e on "
                    + "e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID where e.JOB_INSTANCE_ID = ?", runId)).isZero();
            assertThat(count("select count(*) from BATCH_JOB_EXECUTION_PARAMS p join BATCH_JOB_EXECUTION e on "
                    + "e.JOB_EXECUTION_ID = p.JOB_EXECUTION_ID where e.JOB_INSTANCE_ID = ?", runId)).isZero();
            assertThat(count("select count(*) from BATCH_JOB_EXECUTION_CONTEXT c join BATCH_JOB_EXECUTION e on "
                    + "e.JOB_EXECUTION_ID = c.JOB_EXECUTION_ID where e.JOB_INSTANCE_ID = ?", runId)).isZero();
            assertThat(this.properties.reportsDir().resolve(Long.toString(runId))).doesNotExist();
        }
        for (String trace : List.of("olivia@private.example", "Olivia Private", "victor@private.example",
                "olivia.csv", "victor.csv")) {
            assertThat(everywhere(trace)).as(trace).isEmpty();
        }
        // the completed run's bare instance stays, the validation's does not
        assertThat(count("select count(*) from BATCH_JOB_INSTANCE where JOB_INSTANCE_ID = ?", old.summary().runId()))
            .isOne();
        assertThat(count("select count(*) from BATCH_JOB_INSTANCE where JOB_INSTANCE_ID = ?",
                oldValidation.summary().runId())).isZero();

        // then: the recent run is whole
        assertThat(count("select count(*) from offboarding_row where run_id = ?", recent.summary().runId())).isOne();
        assertThat(recent.reportDirectory().resolve("results.csv")).exists();
        assertThat(this.runs.summary(recent.summary().runId())).isPresent();

        // when: the old file comes back
        int created = vendor.createdActions().size();
        RunResult again = this.runs.run(RunRequest.of(oldFile));

        // then: it is still refused, and says why there is no report to look at
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.message()).contains("already run completely as run " + old.summary().runId()
                + ", whose records were pruned at the end of their retention period");
        assertThat(vendor.createdActions()).hasSize(created);
    }

    @Test
    void aDryRunDeletesNothing() throws IOException {
        // given
        RunResult old = this.runs.run(RunRequest.of(file("dora")));
        age(old.summary().runId(), 200);

        // when
        PruneResult result = this.retention.prune(Duration.ofDays(90), true);

        // then
        assertThat(result.dryRun()).isTrue();
        assertThat(result.pruned()).contains(old.summary().runId());
        assertThat(everywhere("dora@private.example")).isNotEmpty();
        assertThat(old.reportDirectory()).isDirectory();
    }

    @Test
    void leavesARunThatIsGoingOnAloneButPrunesOneAKilledProcessLeftBehind() throws IOException {
        // given: two old runs left STARTED, one of which a live process still owns
        RunResult owned = this.runs.run(RunRequest.of(file("owen")));
        RunResult killed = this.runs.run(RunRequest.of(file("kim")));
        for (RunResult run : List.of(owned, killed)) {
            age(run.summary().runId(), 120);
            this.jdbc.update(
                    "update BATCH_JOB_EXECUTION set STATUS = 'STARTED', END_TIME = null where JOB_INSTANCE_ID = ?",
                    run.summary().runId());
        }
        String sha = this.jdbc.queryForObject("select file_sha256 from offboarding_run where id = ?", String.class,
                owned.summary().runId());
        Optional<RunLocks.Lock> liveOwner = RunLocks.forDataSource(this.dataSource, this.properties.dataDir())
            .tryAcquire(OffboardingJobConfiguration.OFFBOARDING_JOB + "|" + sha + "|");
        assertThat(liveOwner).isPresent();

        // when
        PruneResult result;
        try (RunLocks.Lock held = liveOwner.get()) {
            result = this.retention.prune(Duration.ofDays(90), false);
        }

        // then
        assertThat(result.pruned()).contains(killed.summary().runId()).doesNotContain(owned.summary().runId());
        assertThat(result.kept()).contains("run " + owned.summary().runId() + " is running right now");
        assertThat(everywhere("owen@private.example")).isNotEmpty();
        assertThat(everywhere("kim@private.example")).isEmpty();
    }

    @Test
    void refusesARetentionShorterThanTheDeduplicationWindow() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.retention.prune(Duration.ofDays(7), false))
            .withMessage("--older-than 7d is shorter than offboarding.dedup-window (30d): pruning runs that recent "
                    + "would let the next cumulative export send their rows again. Keep at least 30d.");
    }

}
