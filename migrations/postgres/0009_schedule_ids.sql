-- Schedule ids are never reused. SQLite's `id integer primary key` hands out max(id) + 1, so
-- removing the newest schedule let the next one take its id, and with it the removed one's audit
-- trail, jobs, metrics and report rows. The highest id ever given is kept here (starting above
-- every id the audit trail and the queue still mention); new schedules take the next one
-- (src/core/schedule/store.ts gives the id explicitly, on both databases).
-- PostgreSQL translation of migrations/sqlite/0009_schedule_ids.sql. The identity sequence of
-- schedule.id would not reuse ids either, but it does not move for those explicit ids, so the
-- mark stays the one source of new schedule ids here too.
create table schedule_id_high_water (
  only_row integer primary key check (only_row = 1),
  last_id bigint not null
);
insert into schedule_id_high_water (only_row, last_id)
select 1, greatest(
  coalesce((select max(id) from schedule), 0),
  coalesce((select max(schedule_id) from schedule_audit), 0),
  coalesce((select max(schedule_id) from job), 0)
);
-- Whatever inserts a schedule, the mark follows.
create function schedule_id_high_water_follows() returns trigger
language plpgsql as $$
begin
  update schedule_id_high_water set last_id = greatest(last_id, new.id) where only_row = 1;
  return null;
end;
$$;
create trigger schedule_id_high_water_follows after insert on schedule
for each row execute function schedule_id_high_water_follows();
