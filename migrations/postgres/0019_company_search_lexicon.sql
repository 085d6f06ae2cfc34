-- Every word of `company.search`, so a search can give GIN the whole words a prefix stands for.
-- GIN matches a prefix ('abygg':*) by collecting every match of every word it covers into one
-- bitmap before it combines anything: about ten times the cost of the same words given whole
-- ('abygg' | 'abyggare'), which GIN streams and intersects. PostgreSQL only (FTS5 keeps its own
-- prefix lists). The lexicon only grows: a word no company has any more matches nothing.
-- Bytewise order ("C"), so the words of a prefix are one range of the primary key.
create table company_search_lexicon (word text collate "C" primary key);

insert into company_search_lexicon
select distinct w from company, unnest(tsvector_to_array(search)) w;

-- After each statement that writes companies, the words of the rows it wrote: one set per
-- statement (a bulk batch, a `companies add`), not a trigger per row. In byte order, so two
-- writers that add the same new words take them in the same order and never deadlock. Without
-- JIT: the planner cannot know a transition table's size, and compiling took 190 ms a statement
-- for 20 ms of work.
create function company_search_lexicon_add() returns trigger
language plpgsql set jit = off as $$
begin
  insert into company_search_lexicon
  select distinct w from written, unnest(tsvector_to_array(written.search)) w
  order by 1
  on conflict do nothing;
  return null;
end;
$$;

-- An update: only the rows whose words changed. An import re-marks every company it sees
-- (seen_import_id), which leaves the words as they were. Planned on each run (EXECUTE): a plan
-- cached while the transition tables were empty joined 5,000 rows to 5,000 by nested loop, 4 s a
-- batch; hash joins on, as the import turns them off for its own statements. (A statement
-- trigger with transition tables cannot list the columns it watches.)
create function company_search_lexicon_change() returns trigger
language plpgsql set enable_hashjoin = on set jit = off as $$
begin
  execute $q$
    insert into company_search_lexicon
    select distinct w
    from written n left join replaced o on o.orgnr = n.orgnr, unnest(tsvector_to_array(n.search)) w
    where o.orgnr is null or n.search is distinct from o.search
    order by 1
    on conflict do nothing $q$;
  return null;
end;
$$;

create trigger company_search_lexicon_insert after insert on company
referencing new table as written
for each statement execute function company_search_lexicon_add();

create trigger company_search_lexicon_update after update on company
referencing old table as replaced new table as written
for each statement execute function company_search_lexicon_change();
