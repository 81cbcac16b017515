-- One device, one action: a claim per (device, action type) that some run is handling or has
-- submitted. The primary key is the rule: two runs, two processes or two instances cannot both
-- hold it, so the check happens in the database at the moment a row is about to be sent, not in
-- Java. A claim names the row that holds it; whether it still holds is that row's state (pending:
-- yes; SUBMITTED: until the de-duplication window has passed; REJECTED, or the row gone: no).
-- Sandbox runs and real runs never hold each other's devices.

create table device_claim (
    serial_key      varchar(200)  not null,
    action_type     varchar(64)   not null,
    sandbox         boolean       not null,
    run_id          bigint        not null,
    line_number     bigint        not null,
    claimed_at      timestamp with time zone not null,
    primary key (serial_key, action_type, sandbox),
    foreign key (run_id, line_number) references offboarding_row (run_id, line_number)
);

create index device_claim_row on device_claim (run_id, line_number);

-- Devices that earlier versions were handling or had submitted: the latest such row of each device
-- and action type holds its claim, so an upgrade does not forget a failed run's devices.
insert into device_claim (serial_key, action_type, sandbox, run_id, line_number, claimed_at)
select r.serial_key, r.action_type, run.sandbox, r.run_id, r.line_number, coalesce(r.submitting_at, run.created_at)
from offboarding_row r
join offboarding_run run on run.id = r.run_id
where r.state in ('SUBMITTING', 'FAILED', 'SUBMITTED')
  and r.serial_key is not null and r.action_type is not null
  and not exists (
    select 1 from offboarding_row o
    join offboarding_run orun on orun.id = o.run_id
    where o.serial_key = r.serial_key and o.action_type = r.action_type and orun.sandbox = run.sandbox
      and o.state in ('SUBMITTING', 'FAILED', 'SUBMITTED')
      and (o.run_id > r.run_id or (o.run_id = r.run_id and o.line_number > r.line_number)));
