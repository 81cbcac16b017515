package dev.bulkoffboarding.job;

/** The retention contract on the default embedded database: an in-memory H2 of the context's own. */
class RetentionOnH2IntegrationTests extends RetentionIntegrationTests {

}
