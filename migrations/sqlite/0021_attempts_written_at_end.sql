-- An attempt's history row is written once, when the attempt ends (the worker's finish, or the
-- rescue of a lost lease), no longer opened by the claim and updated by the finish: a worker
-- cycle's second write per job. While an attempt runs, its job row holds it: `attempts` (its
-- number), `lease_owner`, `lease_token`, and `claimed_at` (when it started).
alter table job add column claimed_at text;

-- Jobs running now keep their attempt's start; its open row goes, the attempt's end writes it again.
update job set claimed_at = coalesce(
  (select max(a.started_at) from job_attempt a where a.job_id = job.id and a.token = job.lease_token and a.outcome = 'running'),
  updated_at)
where state = 'running';
delete from job_attempt where outcome = 'running' and job_id in (select id from job where state = 'running');
