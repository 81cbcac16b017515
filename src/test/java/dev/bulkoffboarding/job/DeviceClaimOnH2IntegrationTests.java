package dev.bulkoffboarding.job;

/** The device-claim contract on the default embedded database: an in-memory H2 of the context's own. */
class DeviceClaimOnH2IntegrationTests extends DeviceClaimIntegrationTests {

}
