package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** The retention contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class RetentionOnPostgresIntegrationTests extends RetentionIntegrationTests {

}
