package dev.bulkoffboarding.webhooks;

import dev.bulkoffboarding.support.OnPostgres;

/** The webhook receiver's contract on PostgreSQL, in a fresh database dropped after the class. */
@OnPostgres
class WebhookReceiverOnPostgresIntegrationTests extends WebhookReceiverIntegrationTests {

}
