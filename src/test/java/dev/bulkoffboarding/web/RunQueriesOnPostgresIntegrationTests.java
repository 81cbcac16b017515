package dev.bulkoffboarding.web;

import dev.bulkoffboarding.support.OnPostgres;

/** The run-queries contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class RunQueriesOnPostgresIntegrationTests extends RunQueriesIntegrationTests {

    @Override
    String numbers() {
        return "generate_series(1, ?) as numbers(x)";
    }

}
