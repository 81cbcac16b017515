package dev.bulkoffboarding.job;

/** The reconcile contract on the default embedded database: an in-memory H2 of the context's own. */
class ReconcileOnH2IntegrationTests extends ReconcileIntegrationTests {

}
