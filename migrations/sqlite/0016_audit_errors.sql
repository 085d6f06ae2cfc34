-- The audit log also records errors: a project the budget alert worker could not evaluate or
-- write is logged with action 'error' and the error in new_values. SQLite cannot change a check
-- constraint, so the table is rebuilt with its indexes and its append-only trigger.
create table audit_log_next (
  id integer primary key,
  tenant_id integer,
  table_name text not null,
  row_id integer not null,
  action text not null check (action in ('insert', 'update', 'delete', 'error')),
  old_values text,                                -- JSON object or null
  new_values text,
  changed_fields text not null default '[]',      -- JSON array of column names
  actor_user_id integer,
  worker text,                                    -- job:12 (budget.alerts), seed, ...
  created_at text not null,
  check (actor_user_id is not null or worker is not null)
);
insert into audit_log_next (id, tenant_id, table_name, row_id, action, old_values, new_values, changed_fields, actor_user_id, worker, created_at)
  select id, tenant_id, table_name, row_id, action, old_values, new_values, changed_fields, actor_user_id, worker, created_at from audit_log;
drop table audit_log;
alter table audit_log_next rename to audit_log;
create index audit_log_row on audit_log (table_name, row_id);
create index audit_log_tenant on audit_log (tenant_id, created_at);
create trigger audit_log_append_only before update on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end;
