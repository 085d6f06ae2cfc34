// PostgreSQL-specific: the company search as a tsquery over the `company.search` tsvector of
// migrations/postgres/0004_leads.sql, the same query as fts-query.sqlite.ts builds for FTS5.
// FTS5's column filters become weights (A name, B town and municipality, C description, D SNI
// codes and tags), `"word"*` a prefix `'word':*`, AND / OR / NOT `&` / `|` / `!`. The words are
// already folded (fts-query.ts); the index folds the same letters (company_search_words).
import { minimalPrefixes, placeWords, type FtsFilters, type MatchScope, type QueryWord } from "./fts-query.ts";

/** Letters fold() leaves alone but the index folds (no Unicode decomposition): as company_search_words. */
const EXTRA_FOLD: Record<string, string> = { ø: "o", ł: "l", đ: "d" };

/** One lexeme, quoted for a tsquery; the words have no quotes or blanks, but stay safe. */
const q = (token: string) => `'${token.replace(/[øłđ]/g, (c) => EXTRA_FOLD[c] ?? c).replace(/['\\\s]/g, "")}'`;

/** The tsquery text (for `::tsquery`); never empty (no words and no filters matches every company). */
export function buildFtsQuery(words: readonly QueryWord[], f: FtsFilters, scope: MatchScope = "all"): string {
  const positive: string[] = [];
  const terms = (w: QueryWord, weights: string) =>
    w.terms.map((t) => (t.length === 1 ? `${q(t)}:${weights}` : `${q(t)}:*${weights}`)).join(" & ");
  for (const w of words) {
    if (scope === "name") {
      positive.push(`(${terms(w, "AB")})`);
      continue;
    }
    const text = terms(w, "ABC");
    positive.push(w.sni.length > 0 ? `((${text}) | ${w.sni.map((c) => `${q(c)}:*D`).join(" | ")})` : `(${text})`);
  }
  if (f.sni && f.sni.length > 0)
    positive.push(
      `(${minimalPrefixes(f.sni)
        .map((c) => `${q(c)}:*D`)
        .join(" | ")})`,
    );
  // Town and municipality share weight B: search.ts checks the whole name of each hit anyway.
  for (const value of [f.town, f.municipality, f.location]) {
    const t = value ? placeWords(value) : [];
    if (t.length > 0) positive.push(`(${t.map((w) => `${q(w)}:B`).join(" & ")})`);
  }
  if (f.legalForm) positive.push(`${q(`form${f.legalForm.toLowerCase().replace(/[^a-z0-9]/g, "")}`)}:D`);
  if (f.active) positive.push(`'statusactive':D`);
  if (positive.length === 0) positive.push(`'status':*D`);
  if (f.active) positive.push(`!'missing':D`);
  if (!f.includeReklamsparr) positive.push(`!'reklamsparr':D`);
  return positive.join(" & ");
}
