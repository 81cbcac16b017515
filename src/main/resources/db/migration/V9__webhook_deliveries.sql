-- Webhook deliveries we have acted on, by the vendor's X-Quip-Delivery-Id ("use as the delivery
-- idempotency key"): a delivery the vendor sends again is acknowledged without being applied twice.
-- Inserted in the same transaction that applies the delivery. No payload and no personal data:
-- only what identifies the delivery. Rows older than offboarding.webhooks.remember-deliveries go.
create table webhook_delivery (
    delivery_id     varchar(200)  not null primary key,
    event_type      varchar(100),
    received_at     timestamp with time zone not null
);

create index webhook_delivery_received on webhook_delivery (received_at);
