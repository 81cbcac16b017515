package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The preflight contract on PostgreSQL (the run path and migration V10), in a fresh database dropped after the class. */
@OnPostgres
class PreflightOnPostgresIntegrationTests extends PreflightIntegrationTests {

}
