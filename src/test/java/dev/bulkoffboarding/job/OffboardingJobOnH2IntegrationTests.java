package dev.bulkoffboarding.job;

/** The whole job on the default embedded database: an in-memory H2 of the context's own. */
class OffboardingJobOnH2IntegrationTests extends OffboardingJobIntegrationTests {

}
