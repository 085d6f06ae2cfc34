import { fold } from "./text.ts";

/**
 * The words of a company search (pure; fts-query.sqlite.ts turns them into FTS5's MATCH
 * expression, search.ts runs it). The user's words are matched as prefixes in name,
 * description, town and municipality; each word that names an industry ("logistik",
 * "e-handel") also matches the companies whose SNI codes have that industry. Swedish compounds
 * with a generic head are reduced to their first part ("logistikföretag" -> "logistik").
 * Filters become column filters on the index, so ranking never has to look at rows the
 * filters would drop.
 */
export interface FtsFilters {
  /** SNI codes or prefixes (digits). */
  sni?: readonly string[] | undefined;
  town?: string | undefined;
  municipality?: string | undefined;
  /** A town or a municipality (the seed spec's `location`). */
  location?: string | undefined;
  /** Legal form code (AB, HB, ...). */
  legalForm?: string | undefined;
  /** Only active companies still in the register. */
  active?: boolean | undefined;
  includeReklamsparr?: boolean | undefined;
}

export interface SniEntry {
  code: string;
  /** Words of the title and keywords, folded; hyphenated words kept whole ("e-handel"). */
  words: readonly string[];
}

const STOPWORDS = new Set([
  "ab",
  "hb",
  "kb",
  "i",
  "och",
  "med",
  "for",
  "av",
  "pa",
  "som",
  "inom",
  "till",
  "the",
  "of",
  "and",
  "in",
  "a",
  "aktiebolag",
  "foretag",
  "foretaget",
  "bolag",
  "bolaget",
  "firma",
  "verksamhet",
  "company",
  "companies",
]);

/** Generic heads of Swedish compounds: "logistikföretag", "redovisningsbyrå", "byggfirma". */
const HEADS = [
  "foretagen",
  "foretaget",
  "foretag",
  "bolagen",
  "bolaget",
  "bolag",
  "firmor",
  "firman",
  "firma",
  "byraer",
  "byran",
  "byra",
  "verksamheter",
  "verksamhet",
  "branschen",
  "bransch",
];

export interface QueryWord {
  /** Folded tokens that must all match; 2+ letters as prefixes, single letters ("e" of e-handel) exactly. */
  terms: string[];
  /** SNI prefixes whose industry the word names. */
  sni: string[];
}

/** Splits and normalises a query into words (at most 8); "e-handel" stays one word of two terms. */
export function queryWords(text: string, sni: readonly SniEntry[] = []): QueryWord[] {
  const out: QueryWord[] = [];
  for (const chunk of joinLoneLetters(
    fold(text)
      .replace(/[^\p{L}\p{N}-]+/gu, " ")
      .split(" "),
  )) {
    const tokens = chunk.split("-").filter((t) => t !== "");
    if (tokens.length === 0 || tokens.every((t) => STOPWORDS.has(t))) continue;
    const last = stripHead(tokens[tokens.length - 1] as string);
    const terms = [...tokens.slice(0, -1), last];
    const key = terms.join("-");
    if (out.some((w) => w.terms.join("-") === key)) continue;
    const lookup = [key, terms.join("")].filter((k) => k.length >= 4 && !/^\d+$/.test(k));
    out.push({ terms, sni: minimalPrefixes(lookup.flatMap((k) => industryCodes(k, sni))) });
    if (out.length === 8) break;
  }
  return out;
}

/**
 * A lone letter before a word is read with it, as Swedish hyphenates it: "e handel" is "e-handel",
 * "e post" "e-post" (a single letter is matched whole, so alone it would find almost nothing).
 */
function joinLoneLetters(chunks: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i] as string;
    const next = chunks[i + 1];
    if (/^\p{L}$/u.test(chunk) && !STOPWORDS.has(chunk) && next) {
      out.push(`${chunk}-${next}`);
      i++;
    } else out.push(chunk);
  }
  return out;
}

function stripHead(token: string): string {
  for (const head of HEADS) {
    if (token.length > head.length + 2 && token.endsWith(head)) {
      const word = token.slice(0, -head.length);
      return word.length > 4 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word; // fogemorfem: redovisnings-byrå
    }
  }
  return token;
}

/** The words of an SNI title or keyword list, folded, hyphenated words whole and joined too. */
export function sniWords(text: string): string[] {
  const out = new Set<string>();
  for (const w of fold(text)
    .replace(/[^\p{L}\p{N}-]+/gu, " ")
    .split(" ")) {
    if (w.length < 3) continue;
    out.add(w);
    if (w.includes("-")) out.add(w.replace(/-/g, ""));
  }
  return [...out];
}

/** SNI prefixes whose title or keywords have a word starting with `word` (or that `word` starts with). */
export function industryCodes(word: string, sni: readonly SniEntry[]): string[] {
  const codes = sni.filter((e) => e.words.some((w) => w.startsWith(word) || (w.length >= 5 && word.startsWith(w)))).map((e) => e.code);
  return minimalPrefixes(codes);
}

/** ["52", "52290", "47"] -> ["47", "52"]: drop codes covered by a shorter prefix. */
export function minimalPrefixes(codes: readonly string[]): string[] {
  const sorted = [...new Set(codes)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const out: string[] = [];
  for (const c of sorted) if (!out.some((p) => c.startsWith(p))) out.push(c);
  return out.sort();
}

/**
 * Whether an SNI filter implies a word's industry (each of the filter's prefixes lies within one
 * of the word's): every company the filter lets through then matches the word in the widest tier,
 * which can leave the word out. The same companies; on PostgreSQL the planner no longer takes the
 * word and the filter for independent, and so no longer expects a tenth of the matches.
 */
export function impliedBySniFilter(w: QueryWord, filter: readonly string[] | undefined): boolean {
  if (!filter || filter.length === 0 || w.sni.length === 0) return false;
  return minimalPrefixes(filter).every((p) => w.sni.some((c) => p.startsWith(c)));
}

/** The folded words of a place name ("Upplands-Bro" -> ["upplands", "bro"]). */
export function placeWords(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A place name as the town and municipality filters compare it: its words, folded ("GÖTEBORG",
 * "Goteborg" -> "goteborg"; "Upplands-Bro" -> "upplands bro"). The index matches these words
 * anywhere in the name; equal keys say it is the whole name ("Stockholm" is not "Stockholm-Arlanda").
 */
export function placeKey(text: string): string {
  return placeWords(text).join(" ");
}

/**
 * Where the words are looked for: `name` (the name, town and municipality: "Stockholms
 * Logistik AB" or a logistics firm named so in Stockholm) ranks first; `all` adds the
 * description and the industry of the SNI codes.
 */
export type MatchScope = "name" | "all";
