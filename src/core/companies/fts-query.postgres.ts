// PostgreSQL-specific: the company search as a tsquery over the `company.search` tsvector of
// migrations/postgres/0004_leads.sql and 0017, the same query as fts-query.sqlite.ts builds for
// FTS5. Each word of the vector starts with its field's letter (a name, b town and
// municipality, c description, d SNI codes and tags), so FTS5's column filters become a word per
// field (`{name town}: "bygg"*` is `'abygg':* | 'bbygg':*`): no weights, which would make GIN
// recheck every candidate against the table. `"word"*` is a prefix `:*`, AND / OR / NOT `&` / `|`
// / `!`. The words are already folded (fts-query.ts); the index folds the same letters
// (company_search_words). A prefix that stands for few words is given to GIN as those words
// (company_search_lexicon, migrations/postgres/0019): GIN collects a prefix's matches into one
// bitmap before it combines anything, but streams and intersects whole words.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { impliedBySniFilter, minimalPrefixes, placeWords, type FtsFilters, type MatchScope, type QueryWord } from "./fts-query.ts";

/** Letters fold() leaves alone but the index folds (no Unicode decomposition): as company_search_words. */
const EXTRA_FOLD: Record<string, string> = { ø: "o", ł: "l", đ: "d" };

/** The fields of the vector, by the letter their words start with. */
const FIELD = { name: "a", place: "b", description: "c", tags: "d" } as const;
type Field = keyof typeof FIELD;

/** One word of one field as the vector holds it; the words have no quotes or blanks, but stay safe. */
const lexeme = (field: Field, token: string) =>
  `${FIELD[field]}${token.replace(/[øłđ]/g, (c) => EXTRA_FOLD[c] ?? c).replace(/['\\\s]/g, "")}`;

/**
 * How a prefix is written into the tsquery: the whole words it stands for (from the lexicon)
 * or, when it stands for none or too many or was not looked up, as a prefix.
 */
export type PrefixTerm = (prefix: string) => string;
const asPrefix: PrefixTerm = (prefix) => `'${prefix}':*`;

/** The tsquery text (for `::tsquery`); never empty (no words and no filters matches every company). */
export function buildFtsQuery(words: readonly QueryWord[], f: FtsFilters, scope: MatchScope = "all", prefixTerm = asPrefix): string {
  /** A word in any of the fields: as a prefix, or (`exact`) whole. */
  const inFields = (fields: readonly Field[], token: string, exact = false): string => {
    const one = (f: Field) => (exact ? `'${lexeme(f, token)}'` : prefixTerm(lexeme(f, token)));
    return fields.length === 1 ? one(fields[0] as Field) : `(${fields.map(one).join(" | ")})`;
  };
  const positive: string[] = [];
  const terms = (w: QueryWord, fields: readonly Field[]) => w.terms.map((t) => inFields(fields, t, t.length === 1)).join(" & ");
  for (const w of words) {
    if (scope === "name") {
      positive.push(`(${terms(w, ["name", "place"])})`);
      continue;
    }
    if (impliedBySniFilter(w, f.sni)) continue;
    const text = terms(w, ["name", "place", "description"]);
    positive.push(w.sni.length > 0 ? `((${text}) | ${w.sni.map((c) => inFields(["tags"], c)).join(" | ")})` : `(${text})`);
  }
  if (f.sni && f.sni.length > 0)
    positive.push(
      `(${minimalPrefixes(f.sni)
        .map((c) => inFields(["tags"], c))
        .join(" | ")})`,
    );
  // Town and municipality share one field: search.ts checks the whole name of each hit anyway.
  for (const value of [f.town, f.municipality, f.location]) {
    const t = value ? placeWords(value) : [];
    if (t.length > 0) positive.push(`(${t.map((w) => inFields(["place"], w, true)).join(" & ")})`);
  }
  if (f.legalForm) positive.push(inFields(["tags"], `form${f.legalForm.toLowerCase().replace(/[^a-z0-9]/g, "")}`, true));
  if (f.active) positive.push(inFields(["tags"], "statusactive", true));
  if (positive.length === 0) positive.push(inFields(["tags"], "status"));
  if (f.active) positive.push(`!${inFields(["tags"], "missing", true)}`);
  if (!f.includeReklamsparr) positive.push(`!${inFields(["tags"], "reklamsparr", true)}`);
  return positive.join(" & ");
}

/**
 * A prefix that stands for more words than this stays a prefix: GIN merges the lists of many
 * words more slowly than it collects them into one bitmap. On the 1.8-million register `städ
 * --location Västerås` (53 words of `stad`) took 108 ms as words and 52 ms as a prefix; `bygg
 * göteborg` (a few words) 233 ms as prefixes and 17 ms as words.
 */
const MAX_WORDS = 32;

/**
 * The tsqueries of `scopes`, each prefix written as the whole words the lexicon has for it (up
 * to MAX_WORDS). The lexicon holds every word of every company's vector (kept by a trigger in
 * the same transaction as the company), so the words match exactly the companies the prefix does.
 * Without the active and reklamspärr tags: nearly every company has `dstatusactive`, and GIN
 * walks such a word's whole list to AND it (120 of 160 ms of `e-handel kläder --active` on the
 * 1.8-million register); the search's statement checks them on the rows it reads anyway
 * (search.postgres.ts, `tableFilters`).
 */
export async function buildMatches(db: Db, words: readonly QueryWord[], f: FtsFilters, scopes: readonly MatchScope[]): Promise<string[]> {
  const inIndex: FtsFilters = { ...f, active: false, includeReklamsparr: true };
  const prefixes = new Set<string>();
  for (const scope of scopes)
    buildFtsQuery(words, inIndex, scope, (p) => {
      prefixes.add(p);
      return asPrefix(p);
    });
  const expanded = await wordsOfPrefixes(db, [...prefixes]);
  const prefixTerm: PrefixTerm = (p) => {
    const whole = expanded.get(p);
    return whole && whole.length > 0 && whole.length <= MAX_WORDS ? `(${whole.map(quoted).join(" | ")})` : asPrefix(p);
  };
  return scopes.map((scope) => buildFtsQuery(words, inIndex, scope, prefixTerm));
}

/** A word of the lexicon as a tsquery operand (its words are letters and digits, but stay safe). */
const quoted = (word: string) => `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** Up to MAX_WORDS + 1 words of each prefix: one range of the lexicon's bytewise primary key each. */
async function wordsOfPrefixes(db: Db, prefixes: readonly string[]): Promise<Map<string, string[]>> {
  if (prefixes.length === 0) return new Map();
  const { rows } = await sql<{ prefix: string; words: string[] }>`
    select p.prefix, array(
      select l.word from company_search_lexicon l
      where l.word >= p.prefix collate "C" and l.word < p.upper collate "C"
      order by l.word limit ${MAX_WORDS + 1}) as words
    from unnest(${prefixes}::text[], ${prefixes.map(nextString)}::text[]) as p (prefix, upper)`.execute(db);
  return new Map(rows.map((r) => [r.prefix, r.words]));
}

/** The least string after every string that starts with `s`, in code point (UTF-8 byte) order. */
function nextString(s: string): string {
  const points = [...s];
  const last = (points.pop() as string).codePointAt(0) as number;
  // A prefix's last letter is a word character, never U+10FFFF; skipping the surrogates keeps it valid.
  return points.join("") + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
}
