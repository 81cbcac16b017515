package dev.bulkoffboarding.job;

/** The preflight contract on the default embedded database: an in-memory H2 of the context's own. */
class PreflightOnH2IntegrationTests extends PreflightIntegrationTests {

}
