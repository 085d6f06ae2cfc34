-- The newest dead jobs (status) and dead jobs in a time range (trends) without reading every
-- dead job's row. Only a job that dies enters it, so claims and completions never write it.
create index job_dead on job (finished_at) where state = 'dead';
