-- The ledger's timestamps become instants. As plain 'timestamp' they held the writing process's
-- wall-clock time, which another instance in another time zone (or the same one after a daylight
-- saving change) reads as a different instant: a restart would then look for the vendor's actions
-- created after the wrong moment when reconciling a row left SUBMITTING, find none, and send the
-- row again. Existing values are read in the session's time zone, the one they were written in.
-- One statement per column: H2 does not take several actions in one 'alter table'.

alter table offboarding_run alter column gated_at set data type timestamp with time zone;
alter table offboarding_run alter column created_at set data type timestamp with time zone;
alter table offboarding_row alter column submitting_at set data type timestamp with time zone;
alter table offboarding_row alter column finished_at set data type timestamp with time zone;
