package dev.bulkoffboarding.schedule;

import java.util.List;

import dev.bulkoffboarding.support.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;

/**
 * Two instances on one PostgreSQL database, the production case: ShedLock's row in the shared
 * database lets only one of them fire the schedule.
 */
class InboxLockOnPostgresIntegrationTests extends InboxLockIntegrationTests {

    private PostgresDatabase database;

    @Override
    List<String> sharedDatabase() {
        this.database = PostgresDatabase.create();
        return this.database.applicationArguments();
    }

    @AfterAll
    void dropDatabase() {
        // JUnit runs this before the base class's @AfterAll: close both instances before dropping
        // their database (closing them again later does nothing)
        stop();
        if (this.database != null) {
            this.database.close();
        }
    }

}
