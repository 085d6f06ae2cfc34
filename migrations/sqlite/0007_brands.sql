-- Brand visibility in AI answers: who we watch, what we ask, what the assistants answered,
-- and what the scoring found in each answer.

create table customer (
  id integer primary key,
  name text not null unique,
  created_at text not null
);

create table brand (
  id integer primary key,
  customer_id integer not null references customer (id) on delete cascade,
  name text not null unique,
  aliases text not null default '[]',            -- JSON array of other names
  domains text not null default '[]',            -- JSON array of the brand's own web domains
  created_at text not null,
  updated_at text not null
);

create table competitor (
  id integer primary key,
  brand_id integer not null references brand (id) on delete cascade,
  name text not null,
  aliases text not null default '[]',
  domains text not null default '[]',
  created_at text not null,
  unique (brand_id, name)
);

create table topic (
  id integer primary key,
  brand_id integer not null references brand (id) on delete cascade,
  name text not null,
  created_at text not null,
  unique (brand_id, name)
);

create table brand_query (
  id integer primary key,
  brand_id integer not null references brand (id) on delete cascade,
  topic_id integer references topic (id) on delete set null,
  text text not null,
  active integer not null default 1 check (active in (0, 1)),
  created_at text not null,
  updated_at text not null,
  unique (brand_id, text)
);

-- One answer of one assistant to one query. Cost is in micro-dollars (1e-6 USD).
create table answer (
  id integer primary key,
  brand_id integer not null references brand (id) on delete cascade,
  query_id integer references brand_query (id) on delete set null,
  query_text text not null,
  provider text not null,
  model text not null,
  asked_at text not null,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  cost_micro_usd integer not null default 0,
  text text not null,
  job_id integer,
  run_key text,                                  -- job + query + provider: a retried job stores an answer once
  scored_at text,
  sentiment_scored_at text,
  unique (run_key)
);
create index answer_brand on answer (brand_id, asked_at);
create index answer_unscored on answer (brand_id, id) where scored_at is null;

-- Where the brand (competitor_id null) or a competitor appears in an answer.
create table answer_mention (
  id integer primary key,
  answer_id integer not null references answer (id) on delete cascade,
  competitor_id integer references competitor (id) on delete cascade,
  name text not null,
  mentioned integer not null check (mentioned in (0, 1)),
  position integer,                              -- 1-based rank; null when not mentioned
  position_kind text check (position_kind in ('list', 'mention')),
  first_offset integer,
  sentiment real,                                -- -1 .. 1
  sentiment_label text check (sentiment_label in ('positive', 'neutral', 'negative')),
  sentiment_scorer text
);
create index answer_mention_answer on answer_mention (answer_id);

create table answer_citation (
  id integer primary key,
  answer_id integer not null references answer (id) on delete cascade,
  url text,
  domain text not null,
  owner text not null check (owner in ('brand', 'competitor', 'other')),
  competitor_id integer references competitor (id) on delete set null
);
create index answer_citation_answer on answer_citation (answer_id);
