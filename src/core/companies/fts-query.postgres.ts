// PostgreSQL-specific: the company search as a tsquery over the `company.search` tsvector of
// migrations/postgres/0004_leads.sql and 0017, the same query as fts-query.sqlite.ts builds for
// FTS5. Each word of the vector starts with its field's letter (a name, b town and
// municipality, c description, d SNI codes and tags), so FTS5's column filters become a word per
// field (`{name town}: "bygg"*` is `'abygg':* | 'bbygg':*`): no weights, which would make GIN
// recheck every candidate against the table. `"word"*` is a prefix `:*`, AND / OR / NOT `&` / `|`
// / `!`. The words are already folded (fts-query.ts); the index folds the same letters
// (company_search_words).
import { impliedBySniFilter, minimalPrefixes, placeWords, type FtsFilters, type MatchScope, type QueryWord } from "./fts-query.ts";

/** Letters fold() leaves alone but the index folds (no Unicode decomposition): as company_search_words. */
const EXTRA_FOLD: Record<string, string> = { ø: "o", ł: "l", đ: "d" };

/** The fields of the vector, by the letter their words start with. */
const FIELD = { name: "a", place: "b", description: "c", tags: "d" } as const;
type Field = keyof typeof FIELD;

/** One word of one field, quoted for a tsquery; the words have no quotes or blanks, but stay safe. */
const q = (field: Field, token: string) => `'${FIELD[field]}${token.replace(/[øłđ]/g, (c) => EXTRA_FOLD[c] ?? c).replace(/['\\\s]/g, "")}'`;

/** A word in any of the fields: as a prefix, or (`exact`) whole. */
function inFields(fields: readonly Field[], token: string, exact = false): string {
  const one = (f: Field) => `${q(f, token)}${exact ? "" : ":*"}`;
  return fields.length === 1 ? one(fields[0] as Field) : `(${fields.map(one).join(" | ")})`;
}

/** The tsquery text (for `::tsquery`); never empty (no words and no filters matches every company). */
export function buildFtsQuery(words: readonly QueryWord[], f: FtsFilters, scope: MatchScope = "all"): string {
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
