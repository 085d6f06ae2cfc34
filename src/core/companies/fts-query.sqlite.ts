// SQLite-specific: the company search as an FTS5 MATCH expression (column filters `{name} : ...`,
// prefix queries `"word"*`, AND / OR / NOT) over the company_fts table of migrations/0004_leads.sql.
import type { Db } from "../db/handle.ts";
import { impliedBySniFilter, minimalPrefixes, placeWords, type FtsFilters, type MatchScope, type QueryWord } from "./fts-query.ts";

const q = (token: string) => `"${token.replace(/"/g, "")}"`;

/** The MATCH expression; never empty (no words and no filters matches every company). */
export function buildFtsQuery(words: readonly QueryWord[], f: FtsFilters, scope: MatchScope = "all"): string {
  const positive: string[] = [];
  for (const w of words) {
    const terms = w.terms.map((t) => (t.length === 1 ? q(t) : `${q(t)}*`)).join(" AND ");
    if (scope === "name") {
      positive.push(`({name town municipality} : (${terms}))`);
      continue;
    }
    if (impliedBySniFilter(w, f.sni)) continue;
    const text = `{name description town municipality} : (${terms})`;
    positive.push(w.sni.length > 0 ? `(${text} OR {sni} : (${w.sni.map((c) => `${q(c)}*`).join(" OR ")}))` : `(${text})`);
  }
  if (f.sni && f.sni.length > 0)
    positive.push(
      `({sni} : (${minimalPrefixes(f.sni)
        .map((c) => `${q(c)}*`)
        .join(" OR ")}))`,
    );
  for (const [column, value] of [
    ["town", f.town],
    ["municipality", f.municipality],
    ["town municipality", f.location],
  ] as const) {
    const t = value ? placeWords(value) : [];
    if (t.length > 0) positive.push(`({${column}} : (${t.map(q).join(" AND ")}))`);
  }
  if (f.legalForm) positive.push(`({tags} : ${q(`form${f.legalForm.toLowerCase().replace(/[^a-z0-9]/g, "")}`)})`);
  if (f.active) positive.push(`({tags} : "statusactive")`);
  let expr = positive.length > 0 ? positive.join(" AND ") : `({tags} : "status"*)`;
  const negative: string[] = [];
  if (f.active) negative.push("missing");
  if (!f.includeReklamsparr) negative.push("reklamsparr");
  for (const n of negative) expr = `(${expr}) NOT ({tags} : ${q(n)})`;
  return expr;
}

/** The MATCH expressions of `scopes` (FTS5 finds a prefix's words in its own index: nothing to look up). */
export async function buildMatches(_db: Db, words: readonly QueryWord[], f: FtsFilters, scopes: readonly MatchScope[]): Promise<string[]> {
  return scopes.map((scope) => buildFtsQuery(words, f, scope));
}
