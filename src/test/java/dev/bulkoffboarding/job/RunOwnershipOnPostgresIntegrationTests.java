package dev.bulkoffboarding.job;

import java.util.List;

import javax.sql.DataSource;

import dev.bulkoffboarding.support.OnPostgres;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Losing a run's lock on PostgreSQL: the session that holds its advisory lock is terminated, as an
 * administrator, a failover or a network cut would end it.
 */
@OnPostgres
class RunOwnershipOnPostgresIntegrationTests extends RunOwnershipIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Override
    void loseTheRunLock() {
        JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
        List<Boolean> terminated = jdbc.queryForList("select pg_terminate_backend(pid) from pg_locks "
                + "where locktype = 'advisory' and database = (select oid from pg_database where datname = "
                + "current_database()) and pid <> pg_backend_pid()", Boolean.class);
        assertThat(terminated).containsExactly(true);
    }

}
