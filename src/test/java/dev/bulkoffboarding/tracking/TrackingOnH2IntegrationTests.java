package dev.bulkoffboarding.tracking;

/** The tracking contract on the default embedded database: an in-memory H2 of the context's own. */
class TrackingOnH2IntegrationTests extends TrackingIntegrationTests {

}
