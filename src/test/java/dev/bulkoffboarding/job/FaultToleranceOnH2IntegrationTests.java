package dev.bulkoffboarding.job;

/** The fault-tolerance contract on the default embedded database: an in-memory H2 of the context's own. */
class FaultToleranceOnH2IntegrationTests extends FaultToleranceIntegrationTests {

}
