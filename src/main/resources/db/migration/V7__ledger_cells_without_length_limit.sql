-- A row's cells and its request body are as long as the spreadsheet's cells: a notes cell may hold
-- 200,000 characters (offboarding.input.max-notes-length), which varchar(65535) cannot store, and a
-- header may name 200 columns. Plain varchar has no declared limit on either database (PostgreSQL:
-- unlimited; H2: its maximum, 1,000,000,000 characters) and stays a string type, read and written
-- like before; on PostgreSQL removing a varchar's limit rewrites nothing.
-- One statement per column: H2 does not take several actions in one 'alter table'.

alter table offboarding_row alter column request_body set data type varchar;
alter table offboarding_row alter column source_cells set data type varchar;
alter table offboarding_run alter column headers set data type varchar;
