-- The rank cadence counts from when a company's refresh was enqueued, not from when the job
-- finished: a once-a-day tick (anacron) keeps a daily company daily.
-- PostgreSQL translation of migrations/sqlite/0010_cadence_and_follow_ups.sql.
alter table company_refresh add column due_from timestamptz;  -- when the latest recorded refresh job was enqueued

-- A schedule's run timeout and its follow-up: a job of then_type (payload then_payload) that
-- waits for each run (the queue's depends_on) and runs only when that run completed.
alter table schedule add column timeout_ms bigint;
alter table schedule add column then_type text;
alter table schedule add column then_payload jsonb;
