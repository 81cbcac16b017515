package dev.bulkoffboarding.tracking;

import dev.bulkoffboarding.support.OnPostgres;

/** The tracking contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class TrackingOnPostgresIntegrationTests extends TrackingIntegrationTests {

}
