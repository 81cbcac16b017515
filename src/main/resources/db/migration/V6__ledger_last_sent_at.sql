-- When a row's request last left, written before its bytes do (write-ahead): a request that may
-- have reached the vendor is not listed for, nor sent again, before this plus the response timeout
-- and the settle delay, also after a restart. Null: the row's request never left.
alter table offboarding_row add column last_sent_at timestamp with time zone;

-- Rows an earlier version left pending after sending: their last send was no later than when
-- their outcome was recorded, or else than their first attempt (the best that is known).
update offboarding_row set last_sent_at = case
        when finished_at is not null and finished_at > submitting_at then finished_at
        else submitting_at end
    where state in ('SUBMITTING', 'FAILED') and submitting_at is not null;
