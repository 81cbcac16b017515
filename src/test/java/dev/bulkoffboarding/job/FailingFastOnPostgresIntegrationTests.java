package dev.bulkoffboarding.job;

import dev.bulkoffboarding.support.OnPostgres;

/** Failing fast on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class FailingFastOnPostgresIntegrationTests extends FailingFastIntegrationTests {

}
