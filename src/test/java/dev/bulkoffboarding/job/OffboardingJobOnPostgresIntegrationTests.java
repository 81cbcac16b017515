package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The whole job on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class OffboardingJobOnPostgresIntegrationTests extends OffboardingJobIntegrationTests {

}
