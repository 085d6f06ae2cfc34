-- The job queue: jobs, every attempt of every job, and a log of command runs.
-- Instants are ISO-8601 UTC text with milliseconds (sortable); JSON is stored as text.

create table job (
  id integer primary key,
  type text not null,
  payload text not null default '{}',
  state text not null default 'pending'
    check (state in ('pending', 'running', 'completed', 'dead', 'cancelled')),
  priority integer not null default 0,          -- higher runs first
  run_at text not null,
  attempts integer not null default 0,          -- claims that counted
  max_attempts integer not null default 3 check (max_attempts >= 1),
  dedupe_key text,
  lease_owner text,                             -- host:pid of the worker holding it
  lease_token integer not null default 0,       -- fencing token, bumped on every claim
  lease_expires_at text,
  cancel_requested_at text,
  progress text,
  result text,
  last_error text,
  created_at text not null,
  updated_at text not null,
  started_at text,
  finished_at text,
  schedule_id integer,
  batch_id integer,
  depends_on integer references job (id) on delete set null, -- runs only after this job completed
  blocked integer not null default 0 check (blocked in (0, 1)), -- 1 while depends_on has not completed
  timeout_ms integer                              -- overrides the job type's run timeout
);

-- Every index here is written on each claim and completion, so there are few of them.
-- The claim order: highest priority, then earliest run_at.
create index job_claim on job (priority desc, run_at, id) where state = 'pending' and blocked = 0;
create index job_state_type on job (state, type);
create index job_schedule on job (schedule_id) where schedule_id is not null;
create index job_batch on job (batch_id) where batch_id is not null;
create index job_depends_on on job (depends_on) where depends_on is not null;
-- Dedupe: one live (pending or running) job per key.
create unique index job_dedupe on job (dedupe_key) where dedupe_key is not null and state in ('pending', 'running');

create table job_attempt (
  id integer primary key,
  job_id integer not null references job (id) on delete cascade,
  attempt integer not null,
  token integer not null,
  worker text not null,
  started_at text not null,
  finished_at text,
  outcome text not null default 'running'
    check (outcome in ('running', 'completed', 'failed', 'timed_out', 'lost', 'released', 'snoozed', 'cancelled')),
  error text,
  duration_ms integer,
  metrics text
);
create index job_attempt_job on job_attempt (job_id, attempt);
-- Recent failures for status; only failed attempts are indexed, the hot path never touches it.
create index job_attempt_failed on job_attempt (finished_at) where outcome in ('failed', 'timed_out', 'lost');

-- One row per invocation of a command that does queue work (process, enqueue, ...).
create table command_run (
  id integer primary key,
  command text not null,
  owner text not null,
  started_at text not null,
  finished_at text,
  exit_code integer,
  summary text
);
create index command_run_command on command_run (command, started_at);
