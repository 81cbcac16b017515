package dev.bulkoffboarding.web;

/** Nightly restarts on the default embedded database: an in-memory H2 of the context's own. */
class NightlyRestartOnH2IntegrationTests extends NightlyRestartIntegrationTests {

}
