-- Website technology analysis: batches of sites, their items, and every analysis with its
-- detections (kept as history, so changes such as "switched from Klarna to Walley" can be derived).

-- A batch: up to 100 sites analysed together by one `web.batch` job (job.batch_id points here).
create table web_batch (
  id integer primary key,
  analysis text not null
    check (analysis in ('tech_analysis', 'checkout_scraping', 'full_analysis', 'ecommerce_detection', 'carrier_detection')),
  selector text not null default '{}',           -- JSON: how the sites were chosen (for humans and `jobs show`)
  options text not null default '{}',            -- JSON: browser mode, allowPrivate, fingerprints dir, ...
  created_at text not null,
  started_at text,
  finished_at text
);

create table web_batch_item (
  id integer primary key,
  batch_id integer not null references web_batch (id) on delete cascade,
  position integer not null,
  lead_id integer references lead (id) on delete set null,
  orgnr text,
  url text,                                      -- null when the lead has no website (status skipped)
  status text not null default 'pending'
    check (status in ('pending', 'running', 'ok', 'failed', 'blocked', 'skipped', 'cancelled')),
  retry_count integer not null default 0,        -- retries after a block or by --retry-failed
  next_attempt_at text,                          -- blocked items: when the next try is due
  started_at text,
  finished_at text,
  duration_ms integer,
  error text,
  result text,                                   -- JSON summary: platform, payments, carriers, ...
  analysis_id integer references web_analysis (id) on delete set null,
  unique (batch_id, position)
);
create index web_batch_item_status on web_batch_item (batch_id, status);

-- One analysis of one site, whatever its outcome. The subject is the company (orgnr) when
-- known, else the site (host).
create table web_analysis (
  id integer primary key,
  orgnr text,
  lead_id integer references lead (id) on delete set null,
  site text not null,                            -- host[:port] of the start URL, lower case
  url text not null,
  final_url text,
  analysis text not null,
  status text not null check (status in ('ok', 'blocked', 'failed')),
  via text,                                      -- http, browser, file
  platform text,                                 -- the most confident e-commerce platform
  technologies text not null default '[]',       -- JSON: detections with category, confidence, version, evidence
  pages text not null default '{}',              -- JSON: {pages (visited, status, how), notes, blocked, errorKind}
  error text,
  duration_ms integer,
  batch_id integer references web_batch (id) on delete set null,
  analysed_at text not null
);
create index web_analysis_orgnr on web_analysis (orgnr, analysed_at) where orgnr is not null;
create index web_analysis_site on web_analysis (site, analysed_at);

-- The detections of successful analyses, one row each, for queries ("which leads take Qliro?").
create table web_detection (
  analysis_id integer not null references web_analysis (id) on delete cascade,
  name text not null,
  grp text not null,                             -- platform, payment, delivery, carrier, other
  confidence integer not null,
  version text,
  primary key (analysis_id, name)
);
create index web_detection_name on web_detection (name, grp);
