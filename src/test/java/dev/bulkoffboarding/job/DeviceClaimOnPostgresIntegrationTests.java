package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The device-claim contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class DeviceClaimOnPostgresIntegrationTests extends DeviceClaimIntegrationTests {

}
