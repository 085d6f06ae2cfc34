-- The search vector names each word's field in the word itself instead of in a weight: 'abygg'
-- (name and alt_names), 'bgoteborg' (town and municipality), 'cbygg' (description), 'd52100' and
-- the tags 'dstatusactive', 'dreklamsparr', 'dmissing', 'dformab' (SNI codes and tags), with no
-- positions. A tsquery with weights ('bygg':*AB) makes GIN recheck every candidate against the
-- stored vector, so a common word read thousands of rows from the table; a query of these words
-- ('abygg':* | 'bbygg':*) is answered by the index alone, and the planner's statistics now tell a
-- word in names from the same word in descriptions. The name tier reads the same index, so the
-- index of names and places (company_search_name) goes. The words are those of 0004 (the same
-- folding and the 'simple' configuration); only words of 2046 bytes or more, which the prefix
-- would make too long for a tsvector, are left out.
drop index company_search_name;
drop index company_search;

-- The words of one field, as to_tsvector('simple') makes them, each prefixed with the field's letter.
create function company_search_field(field text, words text) returns text[]
language sql immutable parallel safe as $$
  select array(select field || l from unnest(tsvector_to_array(to_tsvector('simple', words))) l where octet_length(l) < 2046)
$$;

create or replace function company_search_vector(c company) returns tsvector
language sql immutable parallel safe as $$
  select array_to_tsvector(
    company_search_field('a', company_search_words(c.name || coalesce(' ' || c.alt_names, '')))
    || company_search_field('b', company_search_words(coalesce(c.town, '') || ' ' || coalesce(c.municipality, '')))
    || company_search_field('c', company_search_words(c.description))
    || company_search_field('d',
         translate(c.sni_codes::text, '[]",', '    ') || ' '
         || 'status' || c.status || case when c.reklamsparr = 1 then ' reklamsparr' else '' end
         || case when c.missing_since is not null then ' missing' else '' end
         || coalesce(' form' || company_search_words(c.legal_form), '')))
$$;

-- Every company's vector again (the update trigger ignores `search`), without the index to grow
-- row by row; then the table in orgnr order, as the search pages through it, without the old
-- row versions.
update company set search = company_search_vector(company);
cluster company using company_pkey;
set local maintenance_work_mem = '256MB';
create index company_search on company using gin (search);
analyze company;
