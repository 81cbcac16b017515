-- Preflight against the vendor (issue 15). A row whose device the vendor's inventory does not know,
-- but which the file describes (model, type, country), is sent to POST /device-actions/external:
-- external_device says so, and its request_body is then the external-device request. A notice is a
-- warning that does not stop the row (the inventory names another holder than the file), kept apart
-- from error_message, which the row's sending outcome overwrites.
-- One statement per column: H2 does not take several actions in one 'alter table'.

alter table offboarding_row add column external_device boolean default false not null;
alter table offboarding_row add column notice varchar;
-- The external-device request of a row that describes its device, built when the file is staged;
-- it becomes request_body only if the inventory turns out not to know the serial.
alter table offboarding_row add column external_request_body varchar;
