package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The fault-tolerance contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class FaultToleranceOnPostgresIntegrationTests extends FaultToleranceIntegrationTests {

}
