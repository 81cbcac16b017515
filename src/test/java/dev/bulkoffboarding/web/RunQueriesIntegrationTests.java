package dev.bulkoffboarding.web;

import java.time.Instant;
import java.util.EnumSet;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run of 100,000 rows: every page, filter and search of the review UI finds the right rows. How
 * fast they answer is a figure for the benchmarks, not an assertion a busy machine could break. A
 * contract: it runs once per database ({@link RunQueriesOnH2IntegrationTests},
 * {@link RunQueriesOnPostgresIntegrationTests}).
 */
@ServeContext
abstract class RunQueriesIntegrationTests {

    static final long RUN = 900_000_001L;

    static final int ROWS = 100_000;

    @Autowired
    Ledger ledger;

    @Autowired
    RunQueries queries;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    dev.bulkoffboarding.tracking.TrackedActions tracked;

    /**
     * The numbers 1 to {@code ?} as a table with one column {@code x}, in this database's dialect:
     * one statement instead of 100,000 inserts.
     */
    abstract String numbers();

    @BeforeEach
    void aRunOf100000Rows() {
        // the context, and its database, is shared by the class's tests: load once per database
        if (this.jdbc.queryForObject("select count(*) from offboarding_run where id = ?", Long.class, RUN) > 0) {
            return;
        }
        this.ledger.createRunIfAbsent(new RunRecord(RUN, RunRecord.RunKind.RUN, "big.csv", "0".repeat(64), null, "CLI",
                true, "[]", (long) ROWS, Instant.now(), Instant.now()));
        // every 100th row rejected
        this.jdbc.update("insert into offboarding_row (run_id, line_number, serial_number, serial_key, action_type, "
                + "state, wipe, has_recipient, request_body, source_cells, idempotency_key, error_message) "
                + "select ?, x + 1, 'SN' || lpad(cast(x - 1 as varchar), 7, '0'), 'SN' || lpad(cast(x - 1 as varchar), 7, "
                + "'0'), 'Retrieval', case when mod(x - 1, 100) = 0 then 'REJECTED' else 'SUBMITTED' end, false, false, "
                + "'{}', '[\"SN' || lpad(cast(x - 1 as varchar), 7, '0') || '\",\"Retrieval\",\"Person ' || (x - 1) "
                + "|| '\",\"person' || (x - 1) || '@example.com\"]', 'key-' || (x + 1), case when mod(x - 1, 100) = 0 "
                + "then 'serial not in inventory' end from " + numbers(), RUN, ROWS);
    }

    @Test
    void theFirstAndTheLastPageHoldTheFirstAndTheLastRows() {
        // when
        RunQueries.RowPage first = this.queries.rows(RUN, EnumSet.noneOf(RowState.class), null, 0, 50);
        RunQueries.RowPage last = this.queries.rows(RUN, EnumSet.noneOf(RowState.class), null, 1_999, 50);

        // then
        assertThat(first.total()).isEqualTo(ROWS);
        assertThat(first.rows()).hasSize(50).first().satisfies((row) -> assertThat(row.line()).isEqualTo(2));
        assertThat(last.rows()).hasSize(50).last().satisfies((row) -> assertThat(row.line()).isEqualTo(ROWS + 1));
        assertThat(last.pages()).isEqualTo(2_000);
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void filteringByOutcomeCountsAndPagesOnlyThatOutcome() {
        // when
        RunQueries.RowPage rejected = this.queries.rows(RUN, EnumSet.of(RowState.REJECTED), null, 19, 50);

        // then
        assertThat(rejected.total()).isEqualTo(ROWS / 100);
        assertThat(rejected.rows()).hasSize(50).allSatisfy((row) -> assertThat(row.outcome()).isEqualTo("REJECTED"));
        assertThat(rejected.rows().get(49).line()).isEqualTo((ROWS - 100) + 2);
    }

    @Test
    void searchingBySerialOrEmailFindsTheOneRowIgnoringCase() {
        // when
        RunQueries.RowPage bySerial = this.queries.rows(RUN, null, "sn0076543", 0, 50);
        RunQueries.RowPage byEmail = this.queries.rows(RUN, null, "Person99999@Example.com", 0, 50);

        // then
        assertThat(bySerial.rows()).singleElement().satisfies((row) -> assertThat(row.serialNumber()).isEqualTo("SN0076543"));
        assertThat(byEmail.rows()).singleElement().satisfies((row) -> assertThat(row.line()).isEqualTo(ROWS + 1));
    }

    @Test
    void filtersByTheVendorsStatusAndStalledAndSumsUpTheVendorsProgress() {
        // given: a run of four sent devices, two of them wiped, and what the vendor said since
        long run = RUN + 1;
        Instant now = Instant.now();
        if (this.jdbc.queryForObject("select count(*) from offboarding_run where id = ?", Long.class, run) == 0) {
            this.ledger.createRunIfAbsent(new RunRecord(run, RunRecord.RunKind.RUN, "tracked.csv", "1".repeat(64), null,
                    "CLI", true, "[]", 4L, now, now));
            for (int line = 2; line <= 5; line++) {
                this.jdbc.update("insert into offboarding_row (run_id, line_number, serial_number, serial_key, "
                        + "action_type, state, wipe, has_recipient, action_id, vendor_id, vendor_status, finished_at) "
                        + "values (?, ?, ?, ?, 'Store', 'SUBMITTED', ?, false, ?, ?, 'In Progress', ?)", run, line,
                        "TR" + line, "TR" + line, line <= 3, "DA-" + line, "uuid-tracked-" + line,
                        java.sql.Timestamp.from(now.minus(java.time.Duration.ofDays(1))));
            }
            state("uuid-tracked-2", "Completed", true, now);
            state("uuid-tracked-3", "In Transit", false, now.minus(java.time.Duration.ofDays(30)));
            state("uuid-tracked-4", "in transit", null, now);
        }

        // when
        RunQueries.RowPage inTransit = this.queries.rows(run, new RunQueries.RowFilter(null, null, "IN TRANSIT", false),
                0, 50);
        RunQueries.RowPage stalled = this.queries.rows(run, new RunQueries.RowFilter(null, null, null, true), 0, 50);
        VendorProgress progress = this.queries.progress(run);

        // then
        assertThat(inTransit.total()).isEqualTo(2);
        assertThat(inTransit.rows()).extracting(RunQueries.RowView::line).containsExactly(3L, 4L);
        assertThat(stalled.rows()).singleElement().satisfies((row) -> {
            assertThat(row.line()).isEqualTo(3);
            assertThat(row.stalled()).isTrue();
            assertThat(row.wipeCompleted()).isFalse();
        });
        assertThat(progress.actions()).isEqualTo(4);
        assertThat(progress.completed()).isEqualTo(1);
        assertThat(progress.stalled()).isEqualTo(1);
        assertThat(progress.inProgress()).isEqualTo(2);
        assertThat(progress.wipesRequested()).isEqualTo(2);
        assertThat(progress.wipesCompleted()).isEqualTo(1);
        assertThat(progress.statuses()).containsEntry("In Progress", 1L).containsEntry("Completed", 1L);
        assertThat(progress.line()).isEqualTo("1 of 4 completed, 1 wipe done");
        // rows the vendor never saw have no progress, and a filter by its status finds none of them
        assertThat(this.queries.progress(RUN)).isEqualTo(VendorProgress.NONE);
        assertThat(this.queries.rows(RUN, new RunQueries.RowFilter(null, null, "In Progress", false), 0, 50).total())
            .isZero();
    }

    private void state(String vendorId, String status, Boolean wiped, Instant updatedAt) {
        this.tracked.apply(new dev.bulkoffboarding.quipteams.VendorState(vendorId, null, status, java.util.Map.of(), null,
                null, wiped, updatedAt), dev.bulkoffboarding.tracking.TrackedActions.Source.POLL, Instant.now());
    }

}
