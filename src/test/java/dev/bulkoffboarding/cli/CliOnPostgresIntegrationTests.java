package dev.bulkoffboarding.cli;

import java.util.List;

import dev.bulkoffboarding.support.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The command-line contract on PostgreSQL: a fresh database per test method, dropped after it. */
class CliOnPostgresIntegrationTests extends CliIntegrationTests {

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

}
