-- The rank cadence counts from when a company's refresh was enqueued, not from when the job
-- finished: a once-a-day tick (anacron) keeps a daily company daily.
alter table company_refresh add column due_from text;  -- when the latest recorded refresh job was enqueued

-- A schedule's run timeout and its follow-up: a job of then_type (payload then_payload) that
-- waits for each run (the queue's depends_on) and runs only when that run completed.
alter table schedule add column timeout_ms integer;
alter table schedule add column then_type text;
alter table schedule add column then_payload text;
