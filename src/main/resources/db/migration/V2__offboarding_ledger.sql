-- One row per run (a Spring Batch job instance) and one row per CSV record of that run: the
-- ledger is the single source of truth for restart, reports, review and cross-run de-duplication.

create table offboarding_run (
    id              bigint        not null primary key,   -- the Spring Batch job instance id
    kind            varchar(16)   not null,               -- RUN or VALIDATE
    file_name       varchar(1024) not null,
    file_sha256     char(64)      not null,
    label           varchar(200),
    trigger_source  varchar(16)   not null,               -- CLI, SCHEDULE, UPLOAD
    sandbox         boolean       not null,
    headers         varchar(65535),                       -- the input's own header cells, JSON array
    total_records   bigint,
    gated_at        timestamp,                            -- whole-file checks done (once per run)
    created_at      timestamp     not null
);

create index offboarding_run_sha on offboarding_run (file_sha256);

create table offboarding_row (
    run_id          bigint        not null references offboarding_run (id),
    line_number     bigint        not null,
    serial_number   varchar(200),
    serial_key      varchar(200),                          -- normalised for comparisons
    action_type     varchar(64),
    state           varchar(20)   not null,
    wipe            boolean,
    has_recipient   boolean       not null default false,
    request_body    varchar(65535),                       -- the exact JSON sent (valid rows only)
    source_cells    varchar(65535),                       -- the record's own cells, JSON array
    idempotency_key varchar(100),
    action_id       varchar(100),
    vendor_id       varchar(100),
    vendor_status   varchar(64),
    http_status     integer,
    attempts        integer       not null default 0,
    error_code      varchar(100),
    error_message   varchar(4000),
    related_run_id  bigint,                               -- ALREADY_SUBMITTED: the earlier run
    submitting_at   timestamp,                            -- first attempt (reconciliation lower bound)
    finished_at     timestamp,
    primary key (run_id, line_number)
);

create index offboarding_row_state on offboarding_row (run_id, state, line_number);
create index offboarding_row_serial on offboarding_row (run_id, serial_key, line_number);
create index offboarding_row_dedup on offboarding_row (serial_key, action_type, state);
