-- The database no longer checks each new attempt against `job`. That foreign key's check is a
-- query per attempt, and a worker's cycle opens dozens: about 9 % of the server's time in the
-- cycle, for a job the same statement had just claimed (a claim inserts the attempts of the rows
-- its UPDATE holds; no other statement writes attempts). Deleting jobs still deletes their
-- attempts, as the foreign key's cascade did: one statement after each delete, not one per row.
alter table job_attempt drop constraint job_attempt_job_id_fkey;

-- Planned on each run (EXECUTE), without JIT: the planner cannot size a transition table.
create function job_attempt_follow_deleted_jobs() returns trigger
language plpgsql set jit = off as $$
begin
  execute 'delete from job_attempt a using gone where a.job_id = gone.id';
  return null;
end;
$$;

create trigger job_attempt_follow_deleted_jobs after delete on job
referencing old table as gone
for each statement execute function job_attempt_follow_deleted_jobs();
