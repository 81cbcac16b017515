package dev.bulkoffboarding.webhooks;

/** The webhook receiver's contract on the default embedded database. */
class WebhookReceiverOnH2IntegrationTests extends WebhookReceiverIntegrationTests {

}
