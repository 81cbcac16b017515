package dev.bulkoffboarding.schedule;

import java.util.Optional;

import dev.bulkoffboarding.job.RunIdentity;
import dev.bulkoffboarding.rows.Ledger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Finds the run a file becomes before it starts: a run is identified by the file's content and
 * its optional label ({@link RunIdentity}), so an earlier run of the same content is the run a
 * new start resumes.
 */
@Component
@ConditionalOnWebApplication
class RunLookup {

    private final Ledger ledger;

    private final JdbcTemplate jdbc;

    RunLookup(Ledger ledger, JdbcTemplate jdbc) {
        this.ledger = ledger;
        this.jdbc = jdbc;
    }

    /** The run (kind RUN) of this identity, if there has been one. */
    Optional<Long> runOf(RunIdentity identity) {
        return this.ledger.latestRunOf(identity.sha256(), identity.label());
    }

    /** How many times a run has been started (Spring Batch executions of its job instance). */
    long executions(long runId) {
        Long count = this.jdbc.queryForObject("select count(*) from batch_job_execution where job_instance_id = ?",
                Long.class, runId);
        return (count == null) ? 0 : count;
    }

}
