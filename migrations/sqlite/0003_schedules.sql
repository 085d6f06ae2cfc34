-- Schedules (recurring jobs) with every fire they ran or missed and an audit trail of changes,
-- and the refresh state of tracked companies (the rank cadence of `leadjobs enqueue`).

create table schedule (
  id integer primary key,
  name text not null unique,
  type text not null,
  payload text not null default '{}',
  owner text not null,
  active integer not null default 1 check (active in (0, 1)),
  tz text not null default 'Europe/Stockholm',  -- IANA zone the expression is read in
  cron text not null,                           -- 5-field expression; the simple form is stored translated
  at_time text,                                 -- simple form (--at HH:MM --days SET), kept for display
  at_days text,
  misfire text not null default 'coalesce' check (misfire in ('coalesce', 'skip', 'all')),
  grace_ms integer not null,                    -- skip: fires later than this are dropped
  catch_up_cap integer not null,                -- all: at most this many missed fires run at once
  priority integer not null default 0,
  created_at text not null,
  updated_at text not null,
  checked_until text not null,                  -- every fire at or before this instant is accounted for
  next_fire_at text,                            -- the first fire after checked_until (null: none)
  total_runs integer not null default 0,
  missed_runs integer not null default 0,
  last_fire_at text,                            -- the scheduled time of the latest run
  last_run_at text,                             -- when that run was enqueued
  last_job_id integer
);
create index schedule_due on schedule (next_fire_at) where active = 1;
create index schedule_owner on schedule (owner);

-- One row per fire: run (a job was enqueued), missed (dropped by the misfire policy) or trigger
-- (run by hand). A scheduled fire is recorded once: two ticks can never both enqueue it.
create table schedule_fire (
  id integer primary key,
  schedule_id integer not null references schedule (id) on delete cascade,
  kind text not null check (kind in ('run', 'missed', 'trigger')),
  fire_at text not null,                        -- the scheduled instant (a trigger: when it was triggered)
  fire_count integer not null default 1,        -- a missed row may stand for several fires: fire_at .. last_fire_at
  last_fire_at text,
  recorded_at text not null,                    -- when the tick recorded it
  late_ms integer not null,                     -- recorded_at - fire_at (merged rows: of their latest fire)
  policy text not null,                         -- coalesce | skip | all | manual
  reason text,                                  -- why it was missed
  job_id integer,                               -- the job enqueued (run, trigger)
  actor text                                    -- who triggered it
);
create unique index schedule_fire_once on schedule_fire (schedule_id, fire_at) where kind <> 'trigger';
create index schedule_fire_history on schedule_fire (schedule_id, recorded_at);
create index schedule_fire_recorded on schedule_fire (recorded_at, kind);

-- Who changed what; no foreign key, so the trail outlives the schedule.
create table schedule_audit (
  id integer primary key,
  schedule_id integer not null,
  schedule_name text not null,
  action text not null check (action in ('add', 'edit', 'pause', 'resume', 'rm', 'trigger')),
  actor text not null,
  at text not null,
  changes text not null default '{}'            -- JSON {field: [before, after]}; the whole schedule on add and rm
);
create index schedule_audit_schedule on schedule_audit (schedule_id, id);

-- Refresh state of a tracked company. A company that failed too often in a row is a problem:
-- the cadence skips it until someone resets it.
create table company_refresh (
  orgnr text primary key references company (orgnr) on delete cascade,
  last_refreshed_at text,                       -- the latest refresh attempt that finished, whatever its outcome
  last_success_at text,
  last_outcome text check (last_outcome in ('ok', 'skipped', 'failed')),
  last_message text,
  consecutive_failures integer not null default 0,
  problem integer not null default 0 check (problem in (0, 1)),
  problem_since text,
  updated_at text not null
);
create index company_refresh_problem on company_refresh (orgnr) where problem = 1;
