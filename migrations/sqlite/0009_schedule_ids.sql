-- Schedule ids are never reused. `id integer primary key` hands out max(id) + 1, so removing the
-- newest schedule let the next one take its id, and with it the removed one's audit trail, jobs,
-- metrics and report rows. The highest id ever given is kept here (starting above every id the
-- audit trail and the queue still mention); new schedules take the next one.
create table schedule_id_high_water (
  only_row integer primary key check (only_row = 1),
  last_id integer not null
);
insert into schedule_id_high_water (only_row, last_id)
select 1, max(
  coalesce((select max(id) from schedule), 0),
  coalesce((select max(schedule_id) from schedule_audit), 0),
  coalesce((select max(schedule_id) from job), 0)
);
-- Whatever inserts a schedule, the mark follows.
create trigger schedule_id_high_water_follows after insert on schedule
begin
  update schedule_id_high_water set last_id = max(last_id, new.id) where only_row = 1;
end;
