-- What the vendor last told us about each action we created (tracking: polling and webhooks).
-- One row per submitted ledger row. The vendor's status is opaque text (its names beyond
-- "In Progress" are undocumented); vendor_updated_at orders states, so an older delivery or page
-- never overwrites a newer one. changed_at is when we first saw the current state: the clock of
-- "stalled" when the vendor sends no updated_at.
create table action_tracking (
    run_id              bigint        not null,
    line_number         bigint        not null,
    vendor_id           varchar(100)  not null,
    vendor_status       varchar(64),
    status_timestamps   varchar,                  -- JSON object: status -> ISO 8601, as last sent
    tracking_code       varchar(200),
    tracking_link       varchar(2000),
    wipe_completed      boolean,
    vendor_updated_at   timestamp with time zone,
    changed_at          timestamp with time zone not null,
    last_checked_at     timestamp with time zone not null,
    source              varchar(16)   not null,   -- POLL or WEBHOOK: what brought the last change
    primary key (run_id, line_number),
    foreign key (run_id, line_number) references offboarding_row (run_id, line_number)
);

create index action_tracking_vendor_id on action_tracking (vendor_id);

-- Each status an action went through, with its time: evidence for auditors. From the vendor's
-- status_timestamps where it sends them, otherwise the time we first saw the status.
create table action_status_event (
    run_id              bigint        not null,
    line_number         bigint        not null,
    vendor_status       varchar(64)   not null,
    occurred_at         timestamp with time zone not null,
    recorded_at         timestamp with time zone not null,
    source              varchar(16)   not null,   -- VENDOR (its own timestamp), POLL or WEBHOOK
    primary key (run_id, line_number, vendor_status),
    foreign key (run_id, line_number) references offboarding_row (run_id, line_number)
);
