-- Back office: tenants and their members, clients, projects with budgets and alert thresholds,
-- time and material, budget alerts, the notification outbox, invoices (gap-free numbers per
-- tenant) and their lines, VAT rates as data, public share links and their views, and an
-- append-only audit log.
-- Money is integer öre; hours are integer minutes; invoice dates are YYYY-MM-DD text;
-- instants are ISO-8601 UTC text; JSON is text.

create table tenant (
  id integer primary key,
  slug text not null unique check (length(slug) between 1 and 40 and slug not glob '*[^a-z0-9-]*'),
  name text not null,                             -- the seller's registered name
  orgnr text check (orgnr is null or length(orgnr) = 10),
  vat_number text,                                -- SE + orgnr + 01
  street text,
  postcode text,
  town text,
  country text not null default 'SE',
  registered_office text,                         -- säte
  f_skatt integer not null default 0 check (f_skatt in (0, 1)),
  bankgiro text,
  plusgiro text,
  email text,
  phone text,
  website text,
  payment_terms_days integer not null default 30 check (payment_terms_days between 0 and 365),
  ocr_length_digit integer not null default 0 check (ocr_length_digit in (0, 1)),  -- the bank agreement's OCR check level
  next_invoice_number integer not null default 1 check (next_invoice_number >= 1),   -- the gap-free series
  created_at text not null,
  updated_at text not null
);

-- Users (app_user) get a role per tenant.
create table tenant_member (
  tenant_id integer not null references tenant (id) on delete cascade,
  user_id integer not null references app_user (id) on delete cascade,
  role text not null check (role in ('admin', 'manager')),
  created_at text not null,
  primary key (tenant_id, user_id)
);
create index tenant_member_user on tenant_member (user_id);

create table client (
  id integer primary key,
  tenant_id integer not null references tenant (id) on delete cascade,
  name text not null,
  orgnr text,
  vat_number text,
  street text,
  postcode text,
  town text,
  country text not null default 'SE',
  email text,
  created_at text not null,
  updated_at text not null
);
create index client_tenant on client (tenant_id);

create table project (
  id integer primary key,
  tenant_id integer not null references tenant (id) on delete cascade,
  client_id integer references client (id) on delete set null,
  code text,
  name text not null,
  status text not null default 'active' check (status in ('planned', 'active', 'paused', 'completed', 'archived')),
  created_at text not null,
  updated_at text not null
);
create index project_tenant on project (tenant_id, status);
create index project_status on project (status);

-- A project's budget: any of hours (in minutes), material and total (öre) may be set.
create table project_budget (
  project_id integer primary key references project (id) on delete cascade,
  hours_minutes integer check (hours_minutes is null or hours_minutes >= 0),
  material_ore integer check (material_ore is null or material_ore >= 0),
  total_ore integer check (total_ore is null or total_ore >= 0),
  created_at text not null,
  updated_at text not null
);

create table budget_threshold (
  id integer primary key,
  project_id integer not null references project_budget (project_id) on delete cascade,
  type text not null check (type in ('hours', 'material', 'total')),
  percent integer not null check (percent between 1 and 1000),
  notify integer not null default 1 check (notify in (0, 1)),
  unique (project_id, type, percent)
);

create table time_entry (
  id integer primary key,
  project_id integer not null references project (id) on delete cascade,
  user_id integer references app_user (id) on delete set null,
  work_date text not null,
  minutes integer not null check (minutes >= 0),
  hourly_rate_ore integer not null check (hourly_rate_ore >= 0),
  description text,
  created_at text not null,
  updated_at text not null
);
create index time_entry_project on time_entry (project_id);

create table material_cost (
  id integer primary key,
  project_id integer not null references project (id) on delete cascade,
  cost_date text not null,
  description text not null,
  amount_ore integer not null,                    -- negative for returns
  created_at text not null,
  updated_at text not null
);
create index material_cost_project on material_cost (project_id);

create table budget_alert (
  id integer primary key,
  tenant_id integer not null references tenant (id) on delete cascade,
  project_id integer not null references project (id) on delete cascade,
  type text not null check (type in ('hours', 'material', 'total')),
  threshold_percent integer not null,
  used integer not null,                          -- minutes (hours) or öre (material, total) at creation
  budget integer not null,
  usage_percent real not null,                    -- for display; decisions compare used and budget exactly
  status text not null default 'active' check (status in ('active', 'resolved')),
  created_at text not null,
  created_by text not null,                       -- job:12, user:3
  resolved_at text,
  resolved_by text,
  resolution text
);
-- At most one active alert per project, type and threshold: what makes concurrent runs safe.
create unique index budget_alert_active on budget_alert (project_id, type, threshold_percent) where status = 'active';
create index budget_alert_tenant on budget_alert (tenant_id, created_at);

-- The outbox: one row per message to one recipient, delivered through its channels with retries.
create table notification (
  id integer primary key,
  kind text not null,                             -- budget.alert, job.dead, ...
  tenant_id integer references tenant (id) on delete cascade,
  user_id integer references app_user (id) on delete set null,
  recipient text not null,
  subject text not null,
  body text not null,
  data text not null default '{}',
  channels text not null default '[]',            -- JSON array of the channels it must go through
  delivered_channels text not null default '[]',
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'skipped')),
  attempts integer not null default 0,
  next_attempt_at text,
  last_error text,
  dedupe_key text unique,
  created_at text not null,
  sent_at text
);
create index notification_pending on notification (next_attempt_at) where status = 'pending';
create index notification_status on notification (status, created_at);

-- VAT rates as data: a category's rate for the dates from valid_from to valid_to (inclusive).
create table vat_rate (
  id integer primary key,
  category text not null,
  rate_bp integer not null check (rate_bp between 0 and 10000),   -- basis points: 2500 = 25 %
  valid_from text not null,
  valid_to text,
  label text not null,
  invoice_note text,                              -- text an invoice must carry for this category
  check (valid_to is null or valid_to >= valid_from)
);
create index vat_rate_category on vat_rate (category, valid_from);
insert into vat_rate (category, rate_bp, valid_from, valid_to, label, invoice_note) values
  ('standard', 2500, '1990-07-01', null, 'Normalskattesats 25 %', null),
  ('food', 1200, '1996-01-01', '2026-03-31', 'Livsmedel 12 %', null),
  ('food', 600, '2026-04-01', '2027-12-31', 'Livsmedel 6 % (tillfälligt sänkt)', null),
  ('food', 1200, '2028-01-01', null, 'Livsmedel 12 %', null),
  ('hospitality', 1200, '2012-01-01', null, 'Hotell och restaurang 12 %', null),
  ('reduced', 600, '2002-01-01', null, 'Böcker, persontransport, kultur 6 %', null),
  ('exempt', 0, '1990-07-01', null, 'Undantagen från skatteplikt', 'Omsättningen är undantagen från skatteplikt enligt mervärdesskattelagen (2023:200).');

create table invoice (
  id integer primary key,
  tenant_id integer not null references tenant (id) on delete cascade,
  client_id integer references client (id) on delete set null,
  project_id integer references project (id) on delete set null,
  kind text not null default 'invoice' check (kind in ('invoice', 'credit')),
  credited_invoice_id integer references invoice (id),
  status text not null default 'draft' check (status in ('draft', 'issued')),
  number integer,                                 -- from the tenant's gap-free series when issued
  invoice_date text,
  delivery_date text,
  due_date text,
  ocr text,
  currency text not null default 'SEK' check (currency = 'SEK'),
  reverse_charge integer not null default 0 check (reverse_charge in (0, 1)),
  -- The buyer as it was when the invoice was issued.
  buyer_name text,
  buyer_street text,
  buyer_postcode text,
  buyer_town text,
  buyer_country text,
  buyer_orgnr text,
  buyer_vat_number text,
  your_reference text,
  our_reference text,
  notes text,
  pdf_path text,
  pdf_sha256 text,
  pdf_generated_at text,
  pdf_source_updated_at text,                     -- the updated_at the PDF shows: pending when it differs
  created_at text not null,
  updated_at text not null,
  check ((status = 'draft') = (number is null))
);
create unique index invoice_number on invoice (tenant_id, number) where number is not null;
create index invoice_status on invoice (status);

create table invoice_line (
  id integer primary key,
  invoice_id integer not null references invoice (id) on delete cascade,
  position integer not null,
  description text not null,
  quantity_milli integer not null,                -- thousandths: 7.5 hours = 7500
  unit text not null,
  unit_price_ore integer not null,                -- excluding VAT
  vat_category text not null,                     -- vat_rate.category
  unique (invoice_id, position)
);

create table share_link (
  id integer primary key,
  tenant_id integer not null references tenant (id) on delete cascade,
  token text not null unique,
  resource_type text not null check (resource_type in ('invoice', 'project', 'document')),
  resource_id integer not null,
  expires_at text,
  max_views integer check (max_views is null or max_views >= 1),
  view_count integer not null default 0 check (view_count >= 0),
  active integer not null default 1 check (active in (0, 1)),
  deactivated_at text,
  deactivation_reason text,
  created_by integer references app_user (id) on delete set null,
  version integer not null default 1,             -- bumped on every change: optimistic checks
  created_at text not null,
  updated_at text not null
);
create index share_link_active on share_link (id) where active = 1;

create table share_link_view (
  id integer primary key,
  link_id integer not null references share_link (id) on delete cascade,
  viewed_at text not null,
  ip_hash text,
  user_agent text
);
create index share_link_view_time on share_link_view (viewed_at);
create index share_link_view_link on share_link_view (link_id);

-- Append-only: rows are never updated. The log has no foreign keys: it outlives what it describes.
create table audit_log (
  id integer primary key,
  tenant_id integer,
  table_name text not null,
  row_id integer not null,
  action text not null check (action in ('insert', 'update', 'delete')),
  old_values text,                                -- JSON object or null
  new_values text,
  changed_fields text not null default '[]',      -- JSON array of column names
  actor_user_id integer,
  worker text,                                    -- job:12 (budget.alerts), seed, ...
  created_at text not null,
  check (actor_user_id is not null or worker is not null)
);
create index audit_log_row on audit_log (table_name, row_id);
create index audit_log_tenant on audit_log (tenant_id, created_at);
create trigger audit_log_append_only before update on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end;
