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
