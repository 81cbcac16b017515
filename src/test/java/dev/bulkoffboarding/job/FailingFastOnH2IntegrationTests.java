package dev.bulkoffboarding.job;

/** Failing fast on the default embedded database: an in-memory H2 of the context's own. */
class FailingFastOnH2IntegrationTests extends FailingFastIntegrationTests {

}
