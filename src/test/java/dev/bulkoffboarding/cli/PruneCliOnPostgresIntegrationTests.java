package dev.bulkoffboarding.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import dev.bulkoffboarding.support.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@code runs prune} on PostgreSQL: a fresh database per test method, dropped after it. */
class PruneCliOnPostgresIntegrationTests extends PruneCliIntegrationTests {

    private PostgresDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = PostgresDatabase.create();
    }

    @AfterEach
    void dropDatabase() {
        if (this.database != null) {
            this.database.close();
        }
    }

    @Override
    List<String> databaseArguments() {
        return this.database.applicationArguments();
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(this.database.url(), this.database.username(), this.database.password());
    }

}
