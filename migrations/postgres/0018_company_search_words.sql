-- Every word of the search vectors (with its field's letter), for the search to turn a prefix
-- into the words it stands for: GIN answers `'bstockholm':*` by collecting every match of every
-- word with that prefix into a bitmap before it can combine it with the other words of the query
-- (0.3 s for the 390,000 companies in Stockholm, however rare the other word), while
-- `'bstockholm' | 'bstockholms'` lets it skip through the common words' lists guided by the rare
-- one (src/core/companies/search.postgres.ts). The words of new and changed vectors are added by
-- the triggers below; a word no company has any more stays, which costs nothing but a lookup.
-- "C" collation: a prefix is a range of the index in byte order, whatever the database's locale.
create table company_search_word (word text collate "C" primary key);

create function company_search_word_add() returns trigger
language plpgsql as $$
begin
  insert into company_search_word (word)
  select distinct w from new_rows, unnest(tsvector_to_array(new_rows.search)) w
  on conflict do nothing;
  return null;
end;
$$;

-- One statement's new rows at a time (a bulk import's batch in one insert).
create trigger company_search_word_insert after insert on company
referencing new table as new_rows
for each statement execute function company_search_word_add();

-- The vectors an update changed (an import touches every row it sees, and its batches change
-- thousands at once): a statement trigger, since a column list, which would skip the touches,
-- cannot go with transition tables.
create function company_search_word_change() returns trigger
language plpgsql as $$
begin
  insert into company_search_word (word)
  select distinct w from new_rows n left join old_rows o on o.orgnr = n.orgnr, unnest(tsvector_to_array(n.search)) w
  where o.orgnr is null or n.search is distinct from o.search
  on conflict do nothing;
  return null;
end;
$$;

create trigger company_search_word_update after update on company
referencing old table as old_rows new table as new_rows
for each statement execute function company_search_word_change();

insert into company_search_word (word)
select distinct w from company, unnest(tsvector_to_array(company.search)) w;
analyze company_search_word;
