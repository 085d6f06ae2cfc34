import * as z from "zod";
import { parsePattern, type Pattern } from "./pattern.ts";

/** What a detection is about, for the analysis types and the summaries. */
export const GROUPS = ["platform", "payment", "delivery", "carrier", "other"] as const;
export type Group = (typeof GROUPS)[number];

/** Where a rule looks. `images` is our extension: image file names, alt and title texts. */
export const STRING_FIELDS = ["html", "text", "scripts", "css", "url"] as const;
export const LIST_FIELDS = ["scriptSrc", "xhr", "images"] as const;
export const MAP_FIELDS = ["meta", "headers", "cookies", "js"] as const;
export type StringField = (typeof STRING_FIELDS)[number];
export type ListField = (typeof LIST_FIELDS)[number];
export type MapField = (typeof MAP_FIELDS)[number];
export type Field = StringField | ListField | MapField | "dom";

export interface Rule {
  field: Field;
  /** Header, cookie, meta name or js property (lower case except js); the CSS selector for dom. */
  key?: string;
  /** For dom rules: exists, text, attributes.NAME or properties.NAME. */
  domPart?: string;
  pattern: Pattern;
}

export interface Category {
  id: number;
  name: string;
  group: Group;
}

export interface Technology {
  name: string;
  categories: Category[];
  group: Group;
  website: string | null;
  description: string | null;
  rules: Rule[];
  implies: Array<{ name: string; confidence: number }>;
  requires: string[];
  requiresCategory: number[];
  excludes: string[];
  /** Which fingerprint directory it came from. */
  source: string;
}

/** A compiled fingerprint set: technologies by name, and the rules grouped by field. */
export interface FingerprintSet {
  technologies: Map<string, Technology>;
  /** Technologies with js or dom rules (only a browser can evaluate those). */
  browserRuleTechs: Set<string>;
  /** js property chains and dom selectors the browser must evaluate for this set. */
  jsProperties: string[];
  domSelectors: string[];
  /** Directories loaded and technology counts (for `web fingerprints`). */
  sources: Array<{ dir: string; technologies: number; skipped: number }>;
}

export type RawCategories = Record<string, { name?: unknown; group?: unknown; priority?: unknown } | null>;
export type RawTechnologies = Record<string, Record<string, unknown>>;

const GROUP_BY_CATEGORY_NAME: Array<[RegExp, Group]> = [
  [/^ecommerce$|e-?commerce platform|shop system/i, "platform"],
  [/payment|buy now pay later|checkout$/i, "payment"],
  [/delivery checkout|shipping checkout|fulfil/i, "delivery"],
  [/shipping carrier|carrier|courier|parcel/i, "carrier"],
];

export function compileCategories(raw: RawCategories): Map<number, Category> {
  const out = new Map<number, Category>();
  for (const [id, c] of Object.entries(raw)) {
    if (c === null || typeof c !== "object" || !/^\d+$/.test(id)) continue; // malformed: its technologies show "category ID"
    const name = typeof c.name === "string" ? c.name : `category ${id}`;
    const group =
      typeof c.group === "string" && (GROUPS as readonly string[]).includes(c.group)
        ? (c.group as Group)
        : (GROUP_BY_CATEGORY_NAME.find(([re]) => re.test(name))?.[1] ?? "other");
    out.set(Number(id), { id: Number(id), name, group });
  }
  return out;
}

// The Wappalyzer technology format, as far as we read it. A field of another shape makes the
// entry malformed (a list where a pattern was meant would otherwise become "category NaN" or
// a pattern "[object Object]"); fields we do not read (icon, cpe, pricing…) may be anything.
// null is taken for absent.
const patterns = z.union([z.string(), z.array(z.string())]).nullish();
const patternsByName = z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullish();
const categoryIds = z.array(z.int()).nullish();
const domSpec = z.object({
  exists: z.string().nullish(),
  text: z.string().nullish(),
  attributes: z.record(z.string(), z.string()).nullish(),
  properties: z.record(z.string(), z.string()).nullish(),
});
const RawTechnologySchema = z.object({
  cats: categoryIds,
  html: patterns,
  text: patterns,
  scripts: patterns,
  css: patterns,
  url: patterns,
  scriptSrc: patterns,
  xhr: patterns,
  images: patterns,
  meta: patternsByName,
  headers: patternsByName,
  cookies: patternsByName,
  js: patternsByName,
  dom: z.union([z.string(), z.array(z.string()), z.record(z.string(), domSpec)]).nullish(),
  implies: patterns,
  requires: patterns,
  requiresCategory: z.union([z.int(), z.array(z.int())]).nullish(),
  excludes: patterns,
  website: z.unknown().optional(),
  description: z.unknown().optional(),
});
type RawTechnology = z.infer<typeof RawTechnologySchema>;
type DomSpec = z.infer<typeof domSpec>;

const list = <T>(v: T | T[] | null | undefined): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/**
 * Compiles one directory's technologies. A malformed entry is skipped (counted), never fatal:
 * a user's Wappalyzer directory may hold fields we do not know.
 */
export function compileTechnologies(
  raw: RawTechnologies,
  categories: Map<number, Category>,
  source: string,
): { techs: Technology[]; skipped: number } {
  const techs: Technology[] = [];
  let skipped = 0;
  for (const [name, entry] of Object.entries(raw)) {
    const t = RawTechnologySchema.safeParse(entry);
    if (t.success) techs.push(compileTechnology(name, t.data, categories, source));
    else skipped++;
  }
  return { techs, skipped };
}

function compileTechnology(name: string, t: RawTechnology, categories: Map<number, Category>, source: string): Technology {
  const cats = list(t.cats).map((id) => categories.get(id) ?? { id, name: `category ${id}`, group: "other" as Group });
  const rules: Rule[] = [];
  for (const field of STRING_FIELDS) for (const p of list(t[field])) rules.push({ field, pattern: parsePattern(p) });
  for (const field of LIST_FIELDS) for (const p of list(t[field])) rules.push({ field, pattern: parsePattern(p) });
  for (const field of MAP_FIELDS) {
    for (const [key, v] of Object.entries(t[field] ?? {})) {
      for (const p of list(v)) rules.push({ field, key: field === "js" ? key : key.toLowerCase(), pattern: parsePattern(p) });
    }
  }
  rules.push(...domRules(t.dom));
  const group = cats.find((c) => c.group !== "other")?.group ?? "other";
  return {
    name,
    categories: cats,
    group,
    website: typeof t.website === "string" ? t.website : null,
    description: typeof t.description === "string" ? t.description : null,
    rules,
    implies: list(t.implies).map((i) => {
      const p = parsePattern(i);
      return { name: p.source, confidence: p.confidence };
    }),
    requires: list(t.requires),
    requiresCategory: list(t.requiresCategory),
    excludes: list(t.excludes),
    source,
  };
}

/** Wappalyzer's dom: a selector, a list of selectors, or {selector: {exists, text, attributes, properties}}. */
function domRules(dom: RawTechnology["dom"]): Rule[] {
  if (dom === undefined || dom === null) return [];
  if (typeof dom === "string" || Array.isArray(dom)) {
    return list(dom).map((selector) => ({ field: "dom" as const, key: selector, domPart: "exists", pattern: parsePattern("") }));
  }
  return Object.entries(dom).flatMap(([selector, spec]) => domSpecRules(selector, spec));
}

function domSpecRules(selector: string, spec: DomSpec): Rule[] {
  const rule = (domPart: string, pattern: string): Rule => ({ field: "dom", key: selector, domPart, pattern: parsePattern(pattern) });
  const rules: Rule[] = [];
  if (spec.exists !== undefined && spec.exists !== null) rules.push(rule("exists", spec.exists));
  if (spec.text !== undefined && spec.text !== null) rules.push(rule("text", spec.text));
  for (const [attr, p] of Object.entries(spec.attributes ?? {})) rules.push(rule(`attributes.${attr}`, p));
  for (const [prop, p] of Object.entries(spec.properties ?? {})) rules.push(rule(`properties.${prop}`, p));
  return rules;
}

/** Merges compiled directories: on a name clash the earlier directory (ours) wins. */
export function buildSet(parts: Array<{ dir: string; techs: Technology[]; skipped: number }>): FingerprintSet {
  const technologies = new Map<string, Technology>();
  const sources: FingerprintSet["sources"] = [];
  for (const part of parts) {
    let added = 0;
    for (const t of part.techs) {
      if (technologies.has(t.name)) continue;
      technologies.set(t.name, t);
      added++;
    }
    sources.push({ dir: part.dir, technologies: added, skipped: part.skipped });
  }
  const browserRuleTechs = new Set<string>();
  const js = new Set<string>();
  const dom = new Set<string>();
  for (const t of technologies.values()) {
    for (const r of t.rules) {
      if (r.field === "js" && r.key) {
        js.add(r.key);
        browserRuleTechs.add(t.name);
      }
      if (r.field === "dom" && r.key) {
        dom.add(r.key);
        browserRuleTechs.add(t.name);
      }
    }
  }
  return { technologies, browserRuleTechs, jsProperties: [...js], domSelectors: [...dom], sources };
}
