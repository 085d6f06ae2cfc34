-- The hiring signal of companies: the open positions their careers pages list, read by the
-- company refresh. History is kept as changes: a snapshot row per distinct set of positions,
-- and each position with when it was first and last listed (closed once it disappears).

-- What a company's careers page listed. A new row only when the set changes (or the careers
-- page moves); an unchanged check only moves last_seen_at and counts itself.
create table hiring_snapshot (
  id integer primary key,
  orgnr text not null references company (orgnr) on delete cascade,
  careers_url text,                              -- the page the positions were read from; null: no careers page found
  source text check (source in ('json-ld', 'links')),  -- how the positions were read; null when there were none
  position_count integer not null,
  positions text not null default '[]',          -- JSON [{title, url, location}]
  digest text not null,                          -- identity of careers_url + positions: equal means unchanged
  first_seen_at text not null,                   -- the check that first saw this state
  last_seen_at text not null,                    -- the latest check that saw it
  checks integer not null default 1,
  analysis_id integer references web_analysis (id) on delete set null  -- the analysis of the refresh that first saw it
);
create index hiring_snapshot_orgnr on hiring_snapshot (orgnr, id);

-- One row per position a company has listed; open while closed_at is null.
create table hiring_position (
  id integer primary key,
  orgnr text not null references company (orgnr) on delete cascade,
  key text not null,                             -- the posting's URL, else its folded title
  title text not null,
  url text,
  location text,
  first_seen_at text not null,                   -- since when it has been listed (again, after a close)
  last_seen_at text not null,
  closed_at text,                                -- the first check that no longer listed it
  unique (orgnr, key)
);
create index hiring_position_open on hiring_position (orgnr) where closed_at is null;
