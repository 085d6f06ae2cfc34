-- One `companies import` at a time: two that overlapped each marked the companies the other had
-- just seen as missing (missing is "not seen by this import", decided by import id). The running
-- import's row names its process (`host:pid:boot`, owner) and is touched as it works
-- (heartbeat_at), so an import killed with -9 is recognised as gone and does not block the next.
alter table company_import add column owner text;
alter table company_import add column heartbeat_at text;
-- Rows left 'running' by imports that were killed before this was recorded: nothing can tell
-- whether their process is alive, and they would block every import.
update company_import
set state = 'failed', finished_at = started_at, error = 'interrupted (its process ended without finishing the import)'
where state = 'running';
create unique index company_import_one_running on company_import (state) where state = 'running';
