package dev.bulkoffboarding.web;

import dev.bulkoffboarding.support.OnPostgres;

/** Nightly restarts on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class NightlyRestartOnPostgresIntegrationTests extends NightlyRestartIntegrationTests {

}
