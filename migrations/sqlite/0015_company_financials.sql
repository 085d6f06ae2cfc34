-- Revenue and employees from companies' annual reports (Bolagsverket's iXBRL documents), per
-- financial year, so re-analysis and min_revenue use current figures and their history is kept.

-- The financial year the company's revenue_tkr and employees are from, and the latest check of its reports.
alter table company add column financial_year_start text;   -- YYYY-MM-DD
alter table company add column financial_year_end text;     -- YYYY-MM-DD
alter table company add column reports_checked_at text;     -- the latest look at Bolagsverket's document list

-- One row per company and financial year. A report carries its own year and the years before it
-- (comparatives); a year's own report wins over a later report's comparative figures.
create table company_financials (
  id integer primary key,
  orgnr text not null references company (orgnr) on delete cascade,
  period_start text not null,                    -- YYYY-MM-DD, first day of the financial year
  period_end text not null,                      -- YYYY-MM-DD, last day
  net_revenue_ore integer,                       -- nettoomsättning in öre; null when the report has none
  employees integer,                             -- medelantalet anställda (rounded); null when not reported
  framework text check (framework in ('K2', 'K3')),  -- the taxonomy the report follows; null when not recognised
  source text not null check (source in ('report', 'comparative')),  -- the year's own report, or a later one's comparative column
  document_id text not null,                     -- Bolagsverket's dokumentId
  filed_on text,                                 -- registreringstidpunkt, YYYY-MM-DD
  fetched_at text not null,
  unique (orgnr, period_end)
);
