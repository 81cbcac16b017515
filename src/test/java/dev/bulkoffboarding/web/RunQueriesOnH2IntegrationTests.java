package dev.bulkoffboarding.web;

/** The run-queries contract on the default embedded database. */
class RunQueriesOnH2IntegrationTests extends RunQueriesIntegrationTests {

    @Override
    String numbers() {
        return "system_range(1, ?)";
    }

}
