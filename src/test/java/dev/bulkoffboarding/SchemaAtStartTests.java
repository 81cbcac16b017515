package dev.bulkoffboarding;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaAtStartTests {

    @Test
    void versionsCompareAsFlywayComparesThem() {
        assertThat(SchemaAtStart.version("1")).isEqualTo(SchemaAtStart.version("01"))
            .isEqualTo(SchemaAtStart.version("1.0"))
            .isEqualTo(SchemaAtStart.version("1_0"));
        assertThat(SchemaAtStart.version("1.1")).isNotEqualTo(SchemaAtStart.version("1"));
    }

    @Test
    void findsTheJarsSqlAndJavaMigrations() {
        Set<List<BigInteger>> versions = SchemaAtStart.migrationsInJar(new FlywayProperties(),
                new PathMatchingResourcePatternResolver());

        // V1 is a Java migration, the others SQL scripts
        assertThat(versions).contains(List.of(BigInteger.ONE), List.of(BigInteger.TWO), List.of(BigInteger.valueOf(7)));
    }

    @Test
    void aFailedMigrationOrAMissingHistoryIsNeverCurrent() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:schema-at-start;DB_CLOSE_DELAY=-1");
        assertThat(SchemaAtStart.appliedMigrations(dataSource, "flyway_schema_history")).isNull();

        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table \"flyway_schema_history\" (\"version\" varchar(50), "
                    + "\"success\" boolean, \"type\" varchar(20))");
            statement.execute("insert into \"flyway_schema_history\" values (null, true, 'TABLE'), ('1', true, 'JDBC'), "
                    + "('2', true, 'SQL')");
            assertThat(SchemaAtStart.appliedMigrations(dataSource, "flyway_schema_history"))
                .containsExactlyInAnyOrder(List.of(BigInteger.ONE), List.of(BigInteger.TWO));

            statement.execute("insert into \"flyway_schema_history\" values ('3', false, 'SQL')");
            assertThat(SchemaAtStart.appliedMigrations(dataSource, "flyway_schema_history")).isNull();
        }
    }

    @Test
    void aNewDatabaseIsToldWithoutAnErrorInH2sTraceFile(@TempDir Path dir) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("new"));
        dataSource.setUser("sa");

        assertThat(SchemaAtStart.appliedMigrations(dataSource, "flyway_schema_history")).isNull();

        // H2 writes errors (the query of a missing table) to new.trace.db beside the database
        assertThat(dir.resolve("new.mv.db")).isRegularFile();
        assertThat(dir.resolve("new.trace.db")).doesNotExist();
    }

}
