-- Lead generation: the searchable company register (SNI titles, full-text search, import
-- bookkeeping), terminal assignment rules, lead analyses with their history, and lead events.
-- Money is integer micro-dollars (API prices are in USD; bigint here); instants are timestamptz.
-- PostgreSQL translation of migrations/sqlite/0004_leads.sql.

-- SNI 2007 titles with Swedish search words: divisions (2 digits), some classes (4) and codes (5).
-- A company's industry text in the search index comes from its codes through this table.
create table sni_code (
  code text primary key,
  title text not null,
  keywords text not null default ''
);

insert into sni_code (code, title, keywords) values
  ('01', 'Jordbruk och jakt', 'lantbruk jordbruk odling djurhållning gård'),
  ('02', 'Skogsbruk', 'skog skogsbruk avverkning'),
  ('03', 'Fiske och vattenbruk', 'fiske fisk vattenbruk'),
  ('05', 'Kolutvinning', 'gruva kol'),
  ('06', 'Utvinning av råpetroleum och naturgas', 'olja gas'),
  ('07', 'Utvinning av metallmalmer', 'gruva malm'),
  ('08', 'Annan utvinning av mineral', 'grus sten täkt'),
  ('09', 'Service till utvinning', 'gruva borrning'),
  ('10', 'Livsmedelsframställning', 'livsmedel mat bageri slakteri tillverkning'),
  ('11', 'Framställning av drycker', 'dryck bryggeri öl vin'),
  ('12', 'Tobaksvarutillverkning', 'tobak snus'),
  ('13', 'Textilvarutillverkning', 'textil tyg tillverkning'),
  ('14', 'Tillverkning av kläder', 'kläder konfektion mode tillverkning'),
  ('15', 'Tillverkning av läder och lädervaror', 'läder skor väskor'),
  ('16', 'Tillverkning av trä och varor av trä', 'trä sågverk snickeri'),
  ('17', 'Pappers- och pappersvarutillverkning', 'papper massa förpackning kartong'),
  ('18', 'Grafisk produktion och reproduktion av inspelningar', 'tryckeri tryck grafisk'),
  ('19', 'Tillverkning av stenkolsprodukter och raffinerade petroleumprodukter', 'raffinaderi'),
  ('20', 'Tillverkning av kemikalier och kemiska produkter', 'kemi kemikalier färg'),
  ('21', 'Tillverkning av farmaceutiska basprodukter och läkemedel', 'läkemedel medicin'),
  ('22', 'Tillverkning av gummi- och plastvaror', 'plast gummi'),
  ('23', 'Tillverkning av andra icke-metalliska mineraliska produkter', 'betong glas keramik'),
  ('24', 'Stål- och metallframställning', 'stål metall järnverk'),
  ('25', 'Tillverkning av metallvaror utom maskiner och apparater', 'metall verkstad mekanisk'),
  ('26', 'Tillverkning av datorer, elektronikvaror och optik', 'elektronik datorer optik'),
  ('27', 'Tillverkning av elapparatur', 'elektrisk apparater'),
  ('28', 'Tillverkning av övriga maskiner', 'maskiner verkstad industri'),
  ('29', 'Tillverkning av motorfordon, släpfordon och påhängsvagnar', 'fordon bil'),
  ('30', 'Tillverkning av andra transportmedel', 'båt tåg flyg'),
  ('31', 'Tillverkning av möbler', 'möbler snickeri inredning'),
  ('32', 'Annan tillverkning', 'tillverkning smycken leksaker sport'),
  ('33', 'Reparation och installation av maskiner och apparater', 'reparation installation service'),
  ('35', 'Försörjning av el, gas, värme och kyla', 'energi el värme'),
  ('36', 'Vattenförsörjning', 'vatten'),
  ('37', 'Avloppsrening', 'avlopp'),
  ('38', 'Avfallshantering och återvinning', 'avfall återvinning sophämtning'),
  ('39', 'Sanering och annan verksamhet för föroreningsbekämpning', 'sanering miljö'),
  ('41', 'Byggande av hus', 'bygg byggföretag byggentreprenad hus'),
  ('42', 'Anläggningsarbeten', 'anläggning väg mark bygg'),
  ('43', 'Specialiserade bygg- och anläggningsentreprenader', 'bygg hantverkare el vvs måleri snickare'),
  ('45', 'Handel samt reparation av motorfordon och motorcyklar', 'bilhandel bilverkstad bildelar'),
  ('46', 'Parti- och provisionshandel utom med motorfordon', 'partihandel grossist agentur handel'),
  ('47', 'Detaljhandel utom med motorfordon och motorcyklar', 'detaljhandel butik handel'),
  ('49', 'Landtransport; transport i rörsystem', 'transport åkeri frakt lastbil gods'),
  ('50', 'Sjötransport', 'sjöfart rederi frakt'),
  ('51', 'Lufttransport', 'flyg flygfrakt'),
  ('52', 'Magasinering och stödtjänster till transporter', 'logistik lager lagerhållning spedition terminal distribution tredjepartslogistik'),
  ('53', 'Post- och kurirverksamhet', 'post bud kurir paket leverans'),
  ('55', 'Hotell- och logiverksamhet', 'hotell vandrarhem logi'),
  ('56', 'Restaurang-, catering- och barverksamhet', 'restaurang café catering bar'),
  ('58', 'Förlagsverksamhet', 'förlag mjukvara utgivning'),
  ('59', 'Film-, video- och TV-programverksamhet, ljudinspelningar och fonogramutgivning', 'film video musik'),
  ('60', 'Planering och sändning av program', 'radio tv'),
  ('61', 'Telekommunikation', 'telekom telefoni bredband'),
  ('62', 'Dataprogrammering, datakonsultverksamhet o.d.', 'it data konsult mjukvara programmering utveckling'),
  ('63', 'Informationstjänster', 'data hosting webbportal'),
  ('64', 'Finansiella tjänster utom försäkring och pensionsfondsverksamhet', 'bank finans holding'),
  ('65', 'Försäkring, återförsäkring och pensionsfondsverksamhet', 'försäkring'),
  ('66', 'Stödtjänster till finansiella tjänster och försäkring', 'finans mäklare'),
  ('68', 'Fastighetsverksamhet', 'fastighet fastigheter förvaltning'),
  ('69', 'Juridisk och ekonomisk konsultverksamhet', 'juridik advokat redovisning bokföring revision'),
  ('70', 'Huvudkontor och konsulttjänster till företag', 'konsult managementkonsult'),
  ('71', 'Arkitekt- och teknisk konsultverksamhet; teknisk provning och analys', 'arkitekt ingenjör teknisk konsult'),
  ('72', 'Vetenskaplig forskning och utveckling', 'forskning utveckling'),
  ('73', 'Reklam och marknadsundersökning', 'reklam reklambyrå marknadsföring'),
  ('74', 'Annan verksamhet inom juridik, ekonomi, vetenskap och teknik', 'design foto översättning'),
  ('75', 'Veterinärverksamhet', 'veterinär djur'),
  ('77', 'Uthyrning och leasing', 'uthyrning leasing'),
  ('78', 'Arbetsförmedling, bemanning och andra personalrelaterade tjänster', 'bemanning rekrytering personal'),
  ('79', 'Resebyrå- och researrangörsverksamhet och andra resetjänster', 'resebyrå resor'),
  ('80', 'Säkerhets- och bevakningsverksamhet', 'säkerhet bevakning'),
  ('81', 'Fastighetsservice samt skötsel och underhåll av grönytor', 'städ städning fastighetsskötsel'),
  ('82', 'Kontorstjänster och andra företagstjänster', 'kontor företagstjänster callcenter'),
  ('84', 'Offentlig förvaltning och försvar', 'myndighet kommun'),
  ('85', 'Utbildning', 'utbildning skola kurs'),
  ('86', 'Hälso- och sjukvård', 'vård sjukvård tandvård läkare'),
  ('87', 'Vård och omsorg med boende', 'omsorg boende'),
  ('88', 'Öppna sociala insatser', 'omsorg hemtjänst'),
  ('90', 'Konstnärlig och kulturell verksamhet samt underhållningsverksamhet', 'kultur konst underhållning'),
  ('91', 'Biblioteks-, arkiv- och museiverksamhet', 'bibliotek museum'),
  ('92', 'Spel- och vadhållningsverksamhet', 'spel'),
  ('93', 'Sport-, fritids- och nöjesverksamhet', 'sport gym fritid'),
  ('94', 'Intressebevakning; religiös verksamhet', 'förening organisation'),
  ('95', 'Reparation av datorer, hushållsartiklar och personliga artiklar', 'reparation'),
  ('96', 'Andra konsumenttjänstföretag', 'frisör skönhet tvätteri'),
  ('97', 'Förvärvsarbete i hushåll', 'hushåll'),
  ('98', 'Hushållens produktion av diverse varor och tjänster för eget bruk', 'hushåll'),
  ('99', 'Verksamhet vid internationella organisationer, utländska ambassader o.d.', 'ambassad'),
  ('4791', 'Postorderhandel och detaljhandel på Internet', 'e-handel ehandel nätbutik webbutik webbshop postorder'),
  ('47911', 'Postorderhandel och detaljhandel på Internet med brett sortiment', 'e-handel ehandel nätbutik webbutik'),
  ('47912', 'Postorderhandel och detaljhandel på Internet med beklädnadsvaror', 'e-handel kläder mode'),
  ('47913', 'Postorderhandel och detaljhandel på Internet med böcker och andra mediavaror', 'e-handel böcker'),
  ('47914', 'Postorderhandel och detaljhandel på Internet med datorer och annan elektronisk utrustning', 'e-handel elektronik'),
  ('47915', 'Postorderhandel och detaljhandel på Internet med sport- och fritidsutrustning', 'e-handel sport'),
  ('47916', 'Postorderhandel och detaljhandel på Internet med hushållsvaror', 'e-handel hem'),
  ('47917', 'Postorderhandel och detaljhandel på Internet med möbler och inredning', 'e-handel möbler inredning'),
  ('47919', 'Övrig postorderhandel och detaljhandel på Internet med annat specialiserat sortiment', 'e-handel'),
  ('4941', 'Vägtransport av gods', 'åkeri lastbil godstransport frakt'),
  ('49410', 'Vägtransport av gods', 'åkeri lastbil godstransport frakt'),
  ('5210', 'Magasinering och varulagring', 'lager lagerhållning magasin'),
  ('52100', 'Magasinering och varulagring', 'lager lagerhållning magasin'),
  ('52290', 'Övriga stödtjänster till transporter', 'logistik spedition tredjepartslogistik 3pl'),
  ('53201', 'Bud- och kurirverksamhet', 'bud kurir paket leverans'),
  ('53202', 'Tidningsdistribution', 'distribution tidningar'),
  ('46900', 'Icke specialiserad partihandel', 'grossist partihandel'),
  ('46390', 'Icke specialiserad partihandel med livsmedel, drycker och tobak', 'grossist livsmedel'),
  ('46180', 'Agenter som är specialiserade på annan handel', 'agentur agent'),
  ('47710', 'Detaljhandel med kläder', 'kläder mode butik'),
  ('47641', 'Detaljhandel med sport- och fritidsartiklar utom cyklar och båtar', 'sport fritid butik'),
  ('47642', 'Detaljhandel med cyklar', 'cykel cyklar butik'),
  ('47591', 'Detaljhandel med möbler för hemmet', 'möbler inredning butik'),
  ('47430', 'Detaljhandel med hemelektronik', 'elektronik butik'),
  ('47520', 'Detaljhandel med järn- och byggvaror', 'järnhandel bygghandel butik'),
  ('47750', 'Detaljhandel med kosmetika och hygienartiklar', 'kosmetika skönhet butik'),
  ('41200', 'Byggande av bostadshus och andra byggnader', 'bygg byggföretag'),
  ('62010', 'Dataprogrammering', 'it utveckling programmering mjukvara'),
  ('73111', 'Reklambyråverksamhet', 'reklambyrå reklam'),
  ('69201', 'Redovisning och bokföring', 'redovisning bokföring ekonomi'),
  ('10710', 'Tillverkning av mjukt matbröd och färska bakverk', 'bageri bröd'),
  ('56100', 'Restaurangverksamhet', 'restaurang');

-- More about each company. seen_import_id: the last import whose file had it; missing_since:
-- a later full-register import of its source no longer had it (not in the register any more).
alter table company add column alt_names text;          -- other registered names, " | "-separated
alter table company add column co_address text;
alter table company add column seen_import_id bigint;
alter table company add column missing_since timestamptz;
alter table company add column enriched_at timestamptz; -- last update from the Bolagsverket API

-- Full-text search over name (with other names), description, town, municipality, SNI codes and
-- tags (status, reklamspärr, legal form, missing from the register), so search and its filters
-- run inside the index. SQLite keeps this in the contentless FTS5 table company_fts, filled by
-- triggers; PostgreSQL has no FTS5, so the same text goes into a tsvector column on `company`
-- itself (`search`, PostgreSQL only), kept by a trigger, with a GIN index. The words are the
-- same as the FTS5 triggers index; the FTS5 columns become weights so a query can still look
-- in one part only: A name and alt_names, B town and municipality, C description, D the SNI
-- codes (as words: '52100') and the tags ('status<status>', 'reklamsparr', 'missing',
-- 'form<legal form, lower case>'). The words are made as FTS5's `unicode61 remove_diacritics 2`
-- makes them, not stemmed: folded to lower case without diacritics by company_search_words
-- (translate(), no extension needed: the letters of Latin-1 and Latin Extended-A/B that
-- decompose to an ASCII letter, as the search's fold() in src/core/companies/text.ts folds
-- them, and ø ł đ), split at everything that is not a letter or digit, under the 'simple'
-- configuration (no stemming, no stop words), so a query's words are prefixes as in FTS5
-- (src/core/companies/fts-query.postgres.ts). A query's industry words reach the SNI codes
-- through `sni_code` (src/core/companies/fts-query.ts).
alter table company add column search tsvector;

-- Folding: the Swedish letters first (a short translate() is cheap); the long table only for
-- text that still has a non-ASCII letter after punctuation became blanks (translate() looks
-- each character up in the whole table). octet_length = length: nothing but ASCII left.
create function company_search_fold(s text) returns text
language sql immutable strict parallel safe as $$
  select lower(case when octet_length(s) = length(s) then s else translate(s,
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳØøŁłĐđ',
    'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYyOoLlDd') end)
$$;

create function company_search_words(t text) returns text
language sql immutable strict parallel safe as $$
  select company_search_fold(regexp_replace(translate(t, 'åäöÅÄÖéÉüÜ', 'aaoAAOeEuU'), '[^[:alnum:]]+', ' ', 'g'))
$$;

-- The search vector of one company; the trigger below uses it (and a bulk load may index a
-- batch with one `update company set search = company_search_vector(company)`).
create function company_search_vector(c company) returns tsvector
language sql immutable parallel safe as $$
  select
    setweight(to_tsvector('simple', company_search_words(c.name || coalesce(' ' || c.alt_names, ''))), 'A')
    || setweight(to_tsvector('simple', coalesce(company_search_words(coalesce(c.town, '') || ' ' || coalesce(c.municipality, '')), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(company_search_words(c.description), '')), 'C')
    || setweight(to_tsvector('simple',
         translate(c.sni_codes::text, '[]",', '    ') || ' '
         || 'status' || c.status || case when c.reklamsparr = 1 then ' reklamsparr' else '' end
         || case when c.missing_since is not null then ' missing' else '' end
         || coalesce(' form' || company_search_words(c.legal_form), '')), 'D')
$$;

-- A bulk import pauses the trigger inside its own transactions (it indexes each batch with one
-- statement instead); other connections never see a row here, since the loader deletes it
-- before it commits. Kept on PostgreSQL, where a generated column could not be paused, so the
-- loader works the same on both: a row here makes the trigger leave `search` alone.
create table company_fts_pause (id bigint primary key);

create function company_search_update() returns trigger
language plpgsql as $$
begin
  if not exists (select 1 from company_fts_pause) then
    new.search := company_search_vector(new);
  end if;
  return new;
end;
$$;

-- Insert: always (unless paused). Update: only when an indexed column changed, like the FTS5
-- update trigger. A delete needs nothing: the vector goes with the row.
create trigger company_search_insert before insert on company
for each row execute function company_search_update();

create trigger company_search_update before update on company
for each row
when (old.name is distinct from new.name or old.alt_names is distinct from new.alt_names
  or old.description is distinct from new.description or old.town is distinct from new.town
  or old.municipality is distinct from new.municipality or old.sni_codes is distinct from new.sni_codes
  or old.status is distinct from new.status or old.reklamsparr is distinct from new.reklamsparr
  or old.missing_since is distinct from new.missing_since or old.legal_form is distinct from new.legal_form)
execute function company_search_update();

create index company_search on company using gin (search);
-- The name and place words alone (weights A and B), for the search's first tier: a name match is
-- found in this smaller index without rechecking the weights of every company whose description
-- has the words (src/core/companies/search.postgres.ts).
create index company_search_name on company using gin (ts_filter(search, '{a,b}'));

-- Companies written before this migration (seeded demo data) join the index now.
update company set search = company_search_vector(company);

-- One row per `companies import` run.
create table company_import (
  id bigint generated by default as identity primary key,
  file text not null,
  format text not null check (format in ('bolagsverket', 'scb', 'csv')),
  encoding text not null,
  state text not null default 'running' check (state in ('running', 'completed', 'failed')),
  started_at timestamptz not null,
  finished_at timestamptz,
  rows integer not null default 0,
  imported integer not null default 0,    -- new companies
  updated integer not null default 0,     -- existing companies whose data changed
  unchanged integer not null default 0,
  rejected integer not null default 0,    -- invalid rows, never imported
  skipped integer not null default 0,     -- valid rows that are not companies (sole traders' personnummer)
  missing integer not null default 0,     -- companies of this source no longer in the file
  deregistered integer not null default 0,
  error text
);

-- The first rejected rows of an import, with their line and reason.
-- (SQLite: `without rowid`; an ordinary table here, its primary key is its index.)
create table company_import_reject (
  import_id bigint not null references company_import (id) on delete cascade,
  line integer not null,
  reason text not null,
  primary key (import_id, line)
);

-- Terminal assignment rules, tried in order (position, then id); the first match wins.
create table terminal_rule (
  id bigint generated by default as identity primary key,
  terminal_id bigint not null references terminal (id) on delete cascade,
  position integer not null,
  kind text not null check (kind in ('town', 'municipality', 'postcode', 'sni')),
  value text not null,                 -- town or municipality name, SNI prefix, or 'NNNNN-NNNNN'
  postcode_from integer,               -- inclusive range, for kind = 'postcode'
  postcode_to integer,
  created_at timestamptz not null
);
create index terminal_rule_order on terminal_rule (position, id);

-- More about each lead: the latest analysis' outcome, its website summary (written by the
-- website analyser: platform, checkout, carriers) and who assigned it.
alter table lead add column volume_class text;
alter table lead add column next_step text;
alter table lead add column web_summary jsonb;         -- JSON object
alter table lead add column assigned_at timestamptz;
alter table lead add column notes text;
create index lead_status on lead (status, created_at);
create index lead_created on lead (created_at);

-- Every analysis of a lead, successful or not: the history behind lead.score/segment.
create table lead_analysis (
  id bigint generated by default as identity primary key,
  lead_id bigint not null references lead (id) on delete cascade,
  job_id bigint,                       -- the run that did it; a lead is analysed once per run
  protocol text not null,
  provider text not null,
  model text not null,
  status text not null check (status in ('succeeded', 'failed', 'not_analysed')),
  score integer check (score between 0 and 100),
  segment text,
  volume_class text,
  next_step text,
  reasons jsonb,                       -- JSON array of strings
  output jsonb,                        -- JSON: the whole validated answer
  error text,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  cost_microusd bigint not null default 0,
  duration_ms bigint,
  created_at timestamptz not null
);
create index lead_analysis_lead on lead_analysis (lead_id, created_at);
create unique index lead_analysis_once_per_run on lead_analysis (job_id, lead_id) where job_id is not null;

-- What happened to a lead: created, assigned, edited, status changes, analyses.
create table lead_event (
  id bigint generated by default as identity primary key,
  lead_id bigint not null references lead (id) on delete cascade,
  at timestamptz not null,
  kind text not null,
  actor text not null,                 -- job:123, user:anna
  job_id bigint,
  detail jsonb                         -- JSON
);
create index lead_event_lead on lead_event (lead_id, at);
create index lead_event_job on lead_event (job_id) where job_id is not null;
