import type { FingerprintSet, Group, ListField, MapField, Rule, StringField, Technology } from "./fingerprints/compile.ts";
import { resolveVersion, type Pattern } from "./fingerprints/pattern.ts";
import type { PageFacts } from "./facts.ts";

/** Which rule matched where. */
export interface Evidence {
  field: string;
  key?: string;
  pattern: string;
  /** The matched text, shortened. */
  match: string;
  /** The page it was seen on (or "implied by X"). */
  page: string;
}

export interface Detection {
  name: string;
  group: Group;
  categories: string[];
  /** 0-100: the confidences of the distinct rules that matched, summed and capped. */
  confidence: number;
  version: string | null;
  evidence: Evidence[];
}

interface Hit {
  confidence: number;
  version: string | null;
  evidence: Evidence;
}

/** Rule hits collected over a site's pages, before implies/requires are resolved. */
export type HitMap = Map<string, Map<number, Hit>>;

const MAX_EVIDENCE = 6;

/** Matches one page's facts against every fingerprint; call once per page, then `resolveDetections`. */
export function matchPage(set: FingerprintSet, facts: PageFacts, hits: HitMap = new Map()): HitMap {
  const hay = new Haystacks(facts);
  for (const tech of set.technologies.values()) {
    for (let i = 0; i < tech.rules.length; i++) {
      const rule = tech.rules[i] as Rule;
      const found = matchRule(rule, facts, hay);
      if (!found) continue;
      let byRule = hits.get(tech.name);
      if (!byRule) hits.set(tech.name, (byRule = new Map()));
      const prev = byRule.get(i);
      if (prev && prev.confidence >= rule.pattern.confidence && (prev.version || !found.version)) continue;
      const evidence: Evidence = { field: rule.field, pattern: rule.pattern.source, match: shorten(found.match), page: facts.url };
      if (rule.key !== undefined) evidence.key = rule.domPart && rule.domPart !== "exists" ? `${rule.key} ${rule.domPart}` : rule.key;
      byRule.set(i, { confidence: rule.pattern.confidence, version: found.version, evidence });
    }
  }
  return hits;
}

/**
 * Turns rule hits into detections: `requires`/`requiresCategory` are checked and `implies`
 * added in repeated passes until nothing changes (WooCommerce counts only once WordPress
 * does), then `excludes` are applied. Detections below `minConfidence` are dropped.
 */
export function resolveDetections(set: FingerprintSet, hits: HitMap, minConfidence = 50): Detection[] {
  const direct = new Map<string, { confidence: number; version: string | null; evidence: Evidence[] }>();
  for (const [name, byRule] of hits) {
    let confidence = 0;
    let version: string | null = null;
    const evidence: Evidence[] = [];
    for (const h of byRule.values()) {
      confidence += h.confidence;
      if (h.version && (!version || h.version.length > version.length)) version = h.version;
      if (evidence.length < MAX_EVIDENCE) evidence.push(h.evidence);
    }
    direct.set(name, { confidence: Math.min(100, confidence), version, evidence });
  }

  const detected = new Map<string, { confidence: number; version: string | null; evidence: Evidence[] }>();
  // Detected so far only because another technology implies it: its own rule hits still count
  // once its requirements are met (whichever pass that happens in).
  const impliedOnly = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, d] of direct) {
      const current = detected.get(name);
      if (current && !impliedOnly.has(name)) continue;
      const tech = set.technologies.get(name);
      if (!tech || !requirementsMet(tech, detected, set)) continue;
      impliedOnly.delete(name);
      detected.set(
        name,
        current
          ? {
              confidence: Math.max(current.confidence, d.confidence),
              version: d.version,
              evidence: [...d.evidence, ...current.evidence].slice(0, MAX_EVIDENCE),
            }
          : { ...d, evidence: [...d.evidence] },
      );
      changed = true;
    }
    for (const [name, d] of [...detected]) {
      const tech = set.technologies.get(name);
      for (const imp of tech?.implies ?? []) {
        if (!set.technologies.has(imp.name)) continue;
        const confidence = Math.round((d.confidence * imp.confidence) / 100);
        const current = detected.get(imp.name);
        const evidence: Evidence = { field: "implies", pattern: imp.name, match: name, page: `implied by ${name}` };
        if (!current) {
          detected.set(imp.name, { confidence, version: null, evidence: [evidence] });
          impliedOnly.add(imp.name);
          changed = true;
        } else if (current.confidence < confidence) {
          current.confidence = confidence;
          if (current.evidence.length < MAX_EVIDENCE) current.evidence.push(evidence);
          changed = true;
        }
      }
    }
  }
  for (const name of [...detected.keys()]) {
    for (const ex of set.technologies.get(name)?.excludes ?? []) detected.delete(ex);
  }

  const out: Detection[] = [];
  for (const [name, d] of detected) {
    if (d.confidence < minConfidence) continue;
    const tech = set.technologies.get(name) as Technology;
    out.push({
      name,
      group: tech.group,
      categories: tech.categories.map((c) => c.name),
      confidence: d.confidence,
      version: d.version || null,
      evidence: d.evidence,
    });
  }
  // Within a group: most confident first; on a tie our own fingerprints (written for this
  // market) before a user's general set, then the one with more evidence.
  const rank = new Map(set.sources.map((s, i) => [s.dir, i]));
  const sourceOf = (d: Detection) => rank.get(set.technologies.get(d.name)?.source ?? "") ?? 0;
  return out.sort(
    (a, b) =>
      GROUP_ORDER[a.group] - GROUP_ORDER[b.group] ||
      b.confidence - a.confidence ||
      sourceOf(a) - sourceOf(b) ||
      b.evidence.length - a.evidence.length ||
      a.name.localeCompare(b.name),
  );
}

const GROUP_ORDER: Record<Group, number> = { platform: 0, payment: 1, delivery: 2, carrier: 3, other: 4 };

function requirementsMet(tech: Technology, detected: Map<string, unknown>, set: FingerprintSet): boolean {
  if (!tech.requires.every((r) => detected.has(r))) return false;
  if (tech.requiresCategory.length === 0) return true;
  return tech.requiresCategory.some((id) => [...detected.keys()].some((n) => set.technologies.get(n)?.categories.some((c) => c.id === id)));
}

/**
 * Lower-cased haystacks, made on first use and shared by all rules of a page, with a
 * literal pre-check: a large haystack gets a bit set of its character trigrams, so a
 * literal with a trigram the page lacks is ruled out without scanning 200 KB; answers are
 * cached per literal (many rules share one).
 */
class Haystacks {
  private readonly lower = new Map<string, Hay>();
  private readonly facts: PageFacts;
  constructor(facts: PageFacts) {
    this.facts = facts;
  }
  string(field: StringField): string {
    return this.facts[field];
  }
  /** False when no literal of the pattern occurs in the field (the regex cannot match). */
  mayMatch(field: string, p: Pattern, raw: () => string): boolean {
    if (p.literals === null) return true;
    let hay = this.lower.get(field);
    if (!hay) this.lower.set(field, (hay = new Hay(raw().toLowerCase())));
    return p.literals.some((l) => hay.has(l));
  }
}

const TRIGRAM_BITS = 1 << 20;
const TRIGRAM_MIN_TEXT = 4096;

class Hay {
  private readonly text: string;
  private readonly seen = new Map<string, boolean>();
  private trigrams: Uint32Array | undefined;
  constructor(text: string) {
    this.text = text;
    if (text.length >= TRIGRAM_MIN_TEXT) {
      const bits = new Uint32Array(TRIGRAM_BITS / 32);
      let h = 0;
      for (let i = 0; i < text.length; i++) {
        h = ((h << 10) ^ text.charCodeAt(i)) & 0x3fffffff; // the last three characters
        if (i >= 2) {
          const k = trigramKey(h);
          bits[k >>> 5] = (bits[k >>> 5] as number) | (1 << (k & 31));
        }
      }
      this.trigrams = bits;
    }
  }
  has(literal: string): boolean {
    let v = this.seen.get(literal);
    if (v === undefined) {
      v = this.mightHave(literal) && this.text.includes(literal);
      this.seen.set(literal, v);
    }
    return v;
  }
  private mightHave(literal: string): boolean {
    const bits = this.trigrams;
    if (!bits || literal.length < 3) return true;
    let h = 0;
    for (let i = 0; i < literal.length; i++) {
      h = ((h << 10) ^ literal.charCodeAt(i)) & 0x3fffffff;
      if (i >= 2) {
        const k = trigramKey(h);
        if (((bits[k >>> 5] as number) & (1 << (k & 31))) === 0) return false;
      }
    }
    return true;
  }
}

/** Mixes a 30-bit three-character code into a bit index. */
function trigramKey(h: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> 12) & (TRIGRAM_BITS - 1);
}

interface Found {
  match: string;
  version: string | null;
}

function test(p: Pattern, value: string): Found | null {
  const m = p.regex.exec(value);
  if (!m) return null;
  return { match: m[0] || value, version: p.version ? resolveVersion(p.version, m) || null : null };
}

function matchRule(rule: Rule, facts: PageFacts, hay: Haystacks): Found | null {
  const p = rule.pattern;
  switch (rule.field) {
    case "html":
    case "text":
    case "scripts":
    case "css":
    case "url": {
      const value = hay.string(rule.field);
      if (!value || !hay.mayMatch(rule.field, p, () => value)) return null;
      return test(p, value);
    }
    case "scriptSrc":
    case "xhr":
    case "images": {
      const values = facts[rule.field as ListField];
      if (values.length === 0 || !hay.mayMatch(rule.field, p, () => values.join("\n"))) return null;
      for (const v of values) {
        const f = test(p, v);
        if (f) return f;
      }
      return null;
    }
    case "meta":
    case "headers":
    case "cookies":
    case "js": {
      const map = facts[rule.field as MapField];
      const values =
        map.get(rule.key as string) ?? (/[[*\\]/.test(rule.key as string) ? regexKeyValues(map, rule.key as string) : undefined);
      if (!values) return null;
      for (const v of values) {
        const f = p.source === "" ? { match: `${rule.key}`, version: null } : test(p, v);
        if (f) return f;
      }
      return null;
    }
    case "dom": {
      const d = facts.dom.get(rule.key as string);
      if (!d?.exists) return null;
      const part = rule.domPart ?? "exists";
      if (part === "exists") return { match: rule.key as string, version: null };
      const values =
        part === "text" ? d.texts : part.startsWith("attributes.") ? d.attributes[part.slice(11)] : d.properties[part.slice(11)];
      for (const v of values ?? []) {
        const f = test(p, v);
        if (f) return f;
      }
      return null;
    }
  }
}

function regexKeyValues(map: Map<string, string[]>, key: string): string[] | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^${key}$`, "i");
  } catch {
    return undefined;
  }
  for (const [k, v] of map) if (re.test(k)) return v;
  return undefined;
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
}
