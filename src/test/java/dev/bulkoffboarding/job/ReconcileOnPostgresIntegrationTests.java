package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The reconcile contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class ReconcileOnPostgresIntegrationTests extends ReconcileIntegrationTests {

}
