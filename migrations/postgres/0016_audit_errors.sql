-- The audit log also records errors: a project the budget alert worker could not evaluate or
-- write is logged with action 'error' and the error in new_values.
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check check (action in ('insert', 'update', 'delete', 'error'));
