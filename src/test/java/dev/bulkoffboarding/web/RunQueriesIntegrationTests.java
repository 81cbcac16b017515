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

}
