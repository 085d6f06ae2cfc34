-- Companies (identity: 10-digit organisationsnummer), users, and who tracks which company.

create table company (
  orgnr text primary key check (length(orgnr) = 10),
  name text not null,
  legal_form text,                               -- AB, HB, KB, E, EF, ...
  status text not null default 'active'
    check (status in ('active', 'inactive', 'liquidation', 'bankruptcy', 'deregistered')),
  street text,
  postcode text,
  town text,
  municipality text,
  sni_codes text not null default '[]',         -- JSON array of 5-digit SNI codes, primary first
  description text,
  website text,
  revenue_tkr integer,
  employees integer,
  reklamsparr integer not null default 0 check (reklamsparr in (0, 1)),
  registered_on text,
  deregistered_on text,
  source text not null default 'manual',
  created_at text not null,
  updated_at text not null
);
create index company_town on company (town);

create table app_user (
  id integer primary key,
  username text not null unique,
  display_name text,
  email text,
  role text not null default 'manager' check (role in ('admin', 'manager', 'sales')),
  created_at text not null
);

create table company_tracking (
  id integer primary key,
  user_id integer not null references app_user (id) on delete cascade,
  orgnr text not null references company (orgnr) on delete cascade,
  rank integer not null check (rank between 1 and 100),
  keywords text not null default '[]',          -- JSON array of lower-case keywords
  created_at text not null,
  updated_at text not null,
  unique (user_id, orgnr)
);
create index company_tracking_orgnr on company_tracking (orgnr, rank);

-- Sales teams that work leads ("Stockholm Terminal"); assignment rules come with lead generation.
create table terminal (
  id integer primary key,
  name text not null unique,
  description text,
  is_default integer not null default 0 check (is_default in (0, 1)),
  created_at text not null
);

-- A company the sales team works; at most one lead per company.
create table lead (
  id integer primary key,
  orgnr text not null unique references company (orgnr) on delete cascade,
  status text not null default 'new'
    check (status in ('new', 'qualified', 'contacted', 'customer', 'rejected')),
  terminal_id integer references terminal (id) on delete set null,
  source text not null,                          -- job:123, user:anna, import:leads.csv
  website text,
  score integer check (score between 0 and 100), -- latest AI fit score
  segment text,
  analysed_at text,                              -- latest AI analysis
  web_analysed_at text,                          -- latest website analysis
  created_at text not null,
  updated_at text not null
);
create index lead_terminal on lead (terminal_id, status);
create index lead_analysed on lead (analysed_at);
create index lead_web_analysed on lead (web_analysed_at);
