import type { CompanyRow, CompanyStatus } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import { placeKey, queryWords, sniWords, type FtsFilters, type MatchScope, type QueryWord, type SniEntry } from "./fts-query.ts";
import * as ftsPostgres from "./fts-query.postgres.ts";
import * as ftsSqlite from "./fts-query.sqlite.ts";
import { companyPlaces, companyRows } from "./search-rows.ts";
import * as postgres from "./search.postgres.ts";
import * as sqlite from "./search.sqlite.ts";
import { byDialect } from "../db/dialect.ts";

export interface CompanyQuery extends FtsFilters {
  query: string;
  /** Minimum known revenue in TKR (companies with unknown revenue are left out). */
  minRevenueTkr?: number | undefined;
}

export interface CompanySearch extends CompanyQuery {
  /** null: every match. */
  limit: number | null;
  offset?: number | undefined;
}

export interface CompanyHit {
  orgnr: string;
  name: string;
  legalForm: string | null;
  status: CompanyStatus;
  town: string | null;
  municipality: string | null;
  postcode: string | null;
  sniCodes: string[];
  revenueTkr: number | null;
  employees: number | null;
  reklamsparr: boolean;
  website: string | null;
  missingSince: string | null;
  /** The company's lead, when it is one. */
  leadId: number | null;
  /** Where the words matched: `name` (name, town) ranks before `all` (description, industry too); `orgnr` for a number. */
  matched: "orgnr" | MatchScope;
}

export interface CompanySearchResult {
  hits: CompanyHit[];
  /** More companies match than were returned (page on with --offset). */
  more: boolean;
  /** How many companies match in all, counted up to TOTAL_COUNTED past the page. */
  total: number;
  /** The count stopped at TOTAL_COUNTED past the page: at least `total` match. */
  totalCapped: boolean;
  /** The full-text expressions that ran (FTS5 MATCH on SQLite, tsquery on PostgreSQL), first tier first (for --verbose and tests). */
  match: string[];
}

const sniCache = new WeakMap<Db, SniEntry[]>();

async function sniEntries(db: Db): Promise<SniEntry[]> {
  const cached = sniCache.get(db);
  if (cached) return cached;
  const rows = await db.selectFrom("sni_code").select(["code", "title", "keywords"]).execute();
  const entries = rows.map((r) => ({ code: r.code, words: sniWords(`${r.title} ${r.keywords}`) }));
  sniCache.set(db, entries);
  return entries;
}

type TierMatch = { scope: MatchScope; match: string };

/** The full-text expressions of a query (FTS5 MATCH on SQLite, tsquery on PostgreSQL), in tier order. */
export async function companyMatches(db: Db, s: CompanyQuery): Promise<TierMatch[]> {
  return matchesOf(db, queryWords(s.query, await sniEntries(db)), s);
}

/** The expressions of a query's words (on PostgreSQL they read the word list: inside a search's snapshot). */
async function matchesOf(db: Db, words: QueryWord[], s: CompanyQuery): Promise<TierMatch[]> {
  const scopes: MatchScope[] = words.length > 0 ? ["name", "all"] : ["all"];
  const matches = await byDialect(db, { sqlite: ftsSqlite, postgres: ftsPostgres }).buildMatches(db, words, s, scopes);
  return scopes.map((scope, i) => ({ scope, match: matches[i] as string }));
}

/**
 * Every company matching a query, best tier first (the words in the name or town, then in the
 * description or industry), in index order within a tier, filtered in the full-text index
 * itself. A lazy iterator: a search for 20 companies reads one page of the index, whatever the
 * size of the register; a job that scans thousands pages on by key (SQLite's rowid, the orgnr on
 * PostgreSQL).
 */
export async function* iterateCompanies(db: Db, s: CompanyQuery, pageSize = 200): AsyncGenerator<CompanyHit> {
  const asOrgnr = checkOrgnr(s.query);
  if (asOrgnr.ok) {
    yield* (await hitsWhere(db, { orgnr: asOrgnr.orgnr }, s)).map(({ hit }) => ({ ...hit, matched: "orgnr" as const }));
    return;
  }
  yield* iterateMatches(db, s, await companyMatches(db, s), pageSize);
}

/** The companies matching each expression in turn (its tier), each company once. */
async function* iterateMatches(db: Db, s: CompanyQuery, matches: readonly TierMatch[], pageSize: number): AsyncGenerator<CompanyHit> {
  for await (const { scope, keys } of keyPages(db, s, matches, pageSize, false)) {
    for (const { hit } of await hitsWhere(db, { keys }, s)) yield { ...hit, matched: scope };
  }
}

/**
 * The keys of the companies matching each expression in turn, a page at a time, each company
 * once; in the table's physical order (`physical`) only inside the backend's `inSnapshot`.
 */
async function* keyPages(
  db: Db,
  s: CompanyQuery,
  matches: readonly TierMatch[],
  pageSize: number,
  physical: boolean,
): AsyncGenerator<{ scope: MatchScope; keys: CompanyKey[] }> {
  const { matchingKeys } = byDialect(db, { sqlite, postgres });
  const firstTier = new Set<CompanyKey>();
  for (const { scope, match } of matches) {
    for (let cursor: SearchCursor | null = null; ; ) {
      const page = await matchingKeys(db, match, s, cursor, pageSize, physical);
      cursor = page.next;
      const keys = page.keys.filter((id) => !firstTier.has(id));
      if (scope === "name") for (const id of keys) firstTier.add(id);
      if (keys.length > 0) yield { scope, keys };
      if (page.keys.length < pageSize) break;
    }
  }
}

/**
 * The keys of the companies matching each expression in turn that pass the query's filters,
 * without reading their rows: the key statement answers active and reklamspärr (tags of the
 * index on SQLite, the rows it reads on PostgreSQL), so only the place names and the revenue
 * need the table, and then only those columns.
 */
async function* matchingCompanyKeys(
  db: Db,
  s: CompanyQuery,
  matches: readonly TierMatch[],
  pageSize: number,
): AsyncGenerator<{ scope: MatchScope; key: CompanyKey }> {
  const checkTable = s.town || s.municipality || s.location || s.minRevenueTkr !== undefined;
  const inPlace = placeFilter(s);
  for await (const { scope, keys } of keyPages(db, s, matches, pageSize, true)) {
    const passing = checkTable ? new Set((await companyPlaces(db, keys, s)).filter(inPlace).map((r) => r.key)) : null;
    for (const key of keys) if (!passing || passing.has(key)) yield { scope, key };
  }
}

/** Matches after the page that a search counts before it settles for "at least" (the search is lazy; counting all could read the whole register). */
export const TOTAL_COUNTED = 1000;

/** The most keys one query of a search asks for (a deep offset or an unlimited search pages on). */
const MAX_PAGE = 5000;

/**
 * One page of a search, and how many match in all (up to TOTAL_COUNTED past the page). Only the
 * page's companies are read whole: the ones skipped by the offset and counted past the page are
 * keys from the index.
 */
export async function searchCompanies(db: Db, s: CompanySearch): Promise<CompanySearchResult> {
  const offset = s.offset ?? 0;
  const limit = s.limit ?? Number.MAX_SAFE_INTEGER;
  // One page of keys holds all a search reads (its page and the count past it): each page is a
  // query per tier, and on PostgreSQL a page of a common word re-reads its matches from the index.
  const pageSize = Math.min(MAX_PAGE, offset + Math.min(limit, MAX_PAGE) + TOTAL_COUNTED + 1);
  if (checkOrgnr(s.query).ok) {
    const found = await takePage(iterateCompanies(db, s, pageSize), offset, limit);
    return result(found.page, found, []);
  }
  const words = queryWords(s.query, await sniEntries(db));
  // The words a prefix stands for are read in the same snapshot as the companies.
  return byDialect(db, { sqlite, postgres }).inSnapshot(db, async (trx) => {
    const matches = await matchesOf(trx, words, s);
    const found = await takePage(matchingCompanyKeys(trx, s, matches, pageSize), offset, limit);
    return result(
      await pageHits(trx, s, found.page),
      found,
      matches.map((m) => m.match),
    );
  });
}

interface Counted {
  skipped: number;
  /** Items after the page, counted up to TOTAL_COUNTED + 1. */
  after: number;
}

/** The items after `offset` up to `limit`, and how many were skipped and follow. */
async function takePage<T>(items: AsyncIterable<T>, offset: number, limit: number): Promise<Counted & { page: T[] }> {
  const page: T[] = [];
  let skipped = 0;
  let after = 0;
  for await (const item of items) {
    if (skipped < offset) skipped++;
    else if (page.length < limit) page.push(item);
    else if (++after > TOTAL_COUNTED) break;
  }
  return { page, skipped, after };
}

/** The page's companies read whole, in the order of its keys (tier by tier). */
async function pageHits(db: Db, s: CompanyQuery, keys: ReadonlyArray<{ scope: MatchScope; key: CompanyKey }>): Promise<CompanyHit[]> {
  const hits: CompanyHit[] = [];
  for (let i = 0; i < keys.length; i += MAX_PAGE) {
    const part = keys.slice(i, i + MAX_PAGE);
    const byKey = new Map((await hitsWhere(db, { keys: part.map((m) => m.key) }, s)).map((h) => [h.key, h.hit]));
    for (const { scope, key } of part) {
      const hit = byKey.get(key);
      if (hit) hits.push({ ...hit, matched: scope });
    }
  }
  return hits;
}

function result(hits: CompanyHit[], { skipped, after }: Counted, match: string[]): CompanySearchResult {
  const totalCapped = after > TOTAL_COUNTED;
  return { hits, more: after > 0, total: skipped + hits.length + Math.min(after, TOTAL_COUNTED), totalCapped, match };
}

type Hit = Omit<CompanyHit, "matched">;

/** A company in a search: its rowid on SQLite, its orgnr on PostgreSQL. */
export type CompanyKey = number | string;

/** Where a search's next page starts: a rowid on SQLite; an orgnr or a tuple id on PostgreSQL. */
export type SearchCursor = number | string;

/** One company by its number, or the companies of a page of the index (by their keys). */
export type CompanyRowsOf = { orgnr: string } | { keys: readonly CompanyKey[] };

/** A company row with its key and its lead's id (null when it is no lead). */
export type CompanyLeadRow = CompanyRow & { key: CompanyKey; lead_id: number | null };

/** What the filters outside the index read of a company: its place names. */
export interface CompanyPlace {
  key: CompanyKey;
  town: string | null;
  municipality: string | null;
}

/** The companies asked for that pass the query's filters, in key order, each with its key. */
async function hitsWhere(db: Db, which: CompanyRowsOf, s: CompanyQuery): Promise<Array<{ key: CompanyKey; hit: Hit }>> {
  const rows = await companyRows(db, which, s);
  return rows.filter(placeFilter(s)).map((r) => ({ key: r.key, hit: toHit(r) }));
}

/**
 * The whole-name checks behind the index's word filters ("Stockholm" must not take
 * "Stockholm-Arlanda"), without regard to case or diacritics as in the index (SQLite's nocase
 * folds ASCII only).
 */
function placeFilter(s: CompanyQuery): (r: CompanyPlace) => boolean {
  const key = (v: string | undefined) => (v ? placeKey(v) : undefined);
  const town = key(s.town);
  const municipality = key(s.municipality);
  const location = key(s.location);
  const is = (value: string | null, wanted: string) => value !== null && placeKey(value) === wanted;
  return (r) =>
    (!town || is(r.town, town)) &&
    (!municipality || is(r.municipality, municipality)) &&
    (!location || is(r.town, location) || is(r.municipality, location));
}

function toHit(r: CompanyLeadRow): Hit {
  return {
    orgnr: r.orgnr,
    name: r.name,
    legalForm: r.legal_form,
    status: r.status,
    town: r.town,
    municipality: r.municipality,
    postcode: r.postcode,
    sniCodes: parseCodes(r.sni_codes),
    revenueTkr: r.revenue_tkr,
    employees: r.employees,
    reklamsparr: r.reklamsparr === 1,
    website: r.website,
    missingSince: r.missing_since ?? null,
    leadId: r.lead_id,
  };
}

export function parseCodes(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
