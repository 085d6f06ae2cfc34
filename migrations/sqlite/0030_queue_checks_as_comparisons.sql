-- The queue's checks and partial index compare with `=` and `or` instead of `in (…)`.
-- While it checks a row it writes, SQLite evaluates `x in (a, b, c)` (a list of more than two
-- values) by building a temporary b-tree of the list, for every row: in a query it builds it
-- once. The state check took a quarter of an enqueue's insert (4.7 ms of 18 for 10,000 jobs),
-- and every claim and finish paid it again, with two more for each attempt written (its
-- outcome check and job_attempt_failed's condition). The conditions mean the same.
-- SQLite cannot change a check, so both tables are rebuilt, with their indexes. Migrations run
-- with foreign keys off (dropping `job` would otherwise delete every attempt through the
-- cascade) and are checked before they commit: see migrate.sqlite.ts.
create table job_next (
  id integer primary key,
  type text not null,
  payload text not null default '{}',
  state text not null default 'pending'
    check (state = 'pending' or state = 'running' or state = 'completed' or state = 'dead' or state = 'cancelled'),
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
  timeout_ms integer,                             -- overrides the job type's run timeout
  claimed_at text                                 -- when the running attempt started
);
insert into job_next (id, type, payload, state, priority, run_at, attempts, max_attempts, dedupe_key, lease_owner,
    lease_token, lease_expires_at, cancel_requested_at, progress, result, last_error, created_at, updated_at,
    started_at, finished_at, schedule_id, batch_id, depends_on, blocked, timeout_ms, claimed_at)
  select id, type, payload, state, priority, run_at, attempts, max_attempts, dedupe_key, lease_owner,
    lease_token, lease_expires_at, cancel_requested_at, progress, result, last_error, created_at, updated_at,
    started_at, finished_at, schedule_id, batch_id, depends_on, blocked, timeout_ms, claimed_at
  from job;

create table job_attempt_next (
  id integer primary key,
  job_id integer not null references job (id) on delete cascade,
  attempt integer not null,
  token integer not null,
  worker text not null,
  started_at text not null,
  finished_at text,
  outcome text not null default 'running'
    check (outcome = 'running' or outcome = 'completed' or outcome = 'failed' or outcome = 'timed_out'
      or outcome = 'lost' or outcome = 'released' or outcome = 'snoozed' or outcome = 'cancelled'),
  error text,
  duration_ms integer,
  metrics text
);
insert into job_attempt_next (id, job_id, attempt, token, worker, started_at, finished_at, outcome, error, duration_ms, metrics)
  select id, job_id, attempt, token, worker, started_at, finished_at, outcome, error, duration_ms, metrics from job_attempt;

drop table job_attempt;
drop table job;
alter table job_next rename to job;
alter table job_attempt_next rename to job_attempt;

-- As 0001 and 0018 made them.
create index job_claim on job (priority desc, run_at, id) where state = 'pending' and blocked = 0;
create index job_state_type on job (state, type);
create index job_schedule on job (schedule_id) where schedule_id is not null;
create index job_batch on job (batch_id) where batch_id is not null;
create index job_depends_on on job (depends_on) where depends_on is not null;
create unique index job_dedupe on job (dedupe_key) where dedupe_key is not null and state in ('pending', 'running');
create index job_dead on job (finished_at) where state = 'dead';
create index job_attempt_job on job_attempt (job_id, attempt);
-- Queries name the same condition (inspect.ts, queue-status.sqlite.ts): SQLite uses a partial
-- index only for a query whose condition implies the index's.
create index job_attempt_failed on job_attempt (finished_at) where outcome = 'failed' or outcome = 'timed_out' or outcome = 'lost';
