-- The operator's own identifiers for back-office rows (`leadjobs backoffice import`): a re-import
-- finds the row it made before and updates it in place. Tenants are identified by their slug and
-- share links by their token, which are unique already.
-- PostgreSQL translation of migrations/sqlite/0011_backoffice_external_ids.sql (the same SQL).
alter table client add column external_id text;
create unique index client_external_id on client (tenant_id, external_id) where external_id is not null;

alter table project add column external_id text;
create unique index project_external_id on project (tenant_id, external_id) where external_id is not null;

alter table time_entry add column external_id text;
create unique index time_entry_external_id on time_entry (project_id, external_id) where external_id is not null;

alter table material_cost add column external_id text;
create unique index material_cost_external_id on material_cost (project_id, external_id) where external_id is not null;

alter table invoice add column external_id text;
create unique index invoice_external_id on invoice (tenant_id, external_id) where external_id is not null;

alter table share_link_view add column external_id text;
create unique index share_link_view_external_id on share_link_view (link_id, external_id) where external_id is not null;
