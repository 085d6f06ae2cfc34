/**
 * Wappalyzer-style patterns: a regular expression followed by `\;`-separated tags, e.g.
 * `js\.klarna\.com/([\d.]+)\;version:\1\;confidence:50`. Regexes are case-insensitive, as in
 * Wappalyzer; our extension tag `\;case:sensitive` makes one case-sensitive ("UPS", not "ups").
 */
export interface Pattern {
  /** The regex source as written (for evidence). */
  source: string;
  regex: RegExp;
  /** 0-100; 100 unless tagged. */
  confidence: number;
  /** Version template (`\1`, `\1?yes:no`), null when not tagged. */
  version: string | null;
  /**
   * Lower-case strings of which at least one must occur in the haystack for the regex to be
   * able to match: a cheap `includes` filter run before the regex. Null when none is known
   * (the empty pattern, or a regex with no literal of 3+ characters in some branch).
   */
  literals: string[] | null;
}

const NEVER = /(?!)/;

export function parsePattern(raw: string): Pattern {
  const [source = "", ...tags] = raw.split("\\;");
  let confidence = 100;
  let version: string | null = null;
  let caseSensitive = false;
  for (const tag of tags) {
    const sep = tag.indexOf(":");
    const key = sep < 0 ? tag : tag.slice(0, sep);
    const value = sep < 0 ? "" : tag.slice(sep + 1);
    if (key === "confidence") confidence = clamp(Number.parseInt(value, 10));
    else if (key === "version") version = value;
    else if (key === "case") caseSensitive = value === "sensitive";
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, caseSensitive ? "" : "i");
  } catch {
    regex = NEVER; // Wappalyzer skips patterns its engine cannot compile; so do we
  }
  return { source, regex, confidence, version, literals: regex === NEVER ? null : requiredLiterals(source) };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : 100;
}

/** Fills a version template from a match: `\1` → group 1, `\1?a:b` → a when group 1 matched, else b. */
export function resolveVersion(template: string, match: RegExpExecArray): string {
  let out = template.replace(/\\(\d)\?([^:]*):(.*)$/, (_all, n: string, yes: string, no: string) => (match[Number(n)] ? yes : no));
  out = out.replace(/\\(\d)/g, (_all, n: string) => match[Number(n)] ?? "");
  return out.trim();
}

const META = new Set([".", "^", "$"]);
const ESCAPED_LITERAL = new Set([..."./\\-+*?()[]{}|^$:;,'\"=<>!#&%@~` _"]);

/** See `Pattern.literals`. Conservative: when unsure, it returns null (always run the regex). */
export function requiredLiterals(source: string): string[] | null {
  const out: string[] = [];
  for (const branch of splitTopLevel(source)) {
    const best = branchRequirement(branch);
    if (best === null) return null;
    out.push(...best);
  }
  return out.length > 0 ? [...new Set(out)] : null;
}

const MIN_LITERAL = 3;

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/**
 * The best requirement of one branch: either its longest mandatory literal run, or the
 * alternatives of a mandatory group (`(?:se|com)` → any of them), whichever has the longest
 * shortest member. Null when nothing of at least 3 characters is required.
 */
function branchRequirement(branch: string): string[] | null {
  let best: string[] | null = null;
  const consider = (alts: string[] | null) => {
    if (!alts || alts.length === 0) return;
    const score = Math.min(...alts.map((a) => a.length));
    if (score < MIN_LITERAL) return;
    if (!best || score > Math.min(...best.map((a) => a.length))) best = alts;
  };
  let run = "";
  const flush = () => {
    consider(run ? [run] : null);
    run = "";
  };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i] as string;
    let atom: string | null = null;
    let group: string[] | null = null;
    if (c === "\\") {
      const n = branch[i + 1];
      i++;
      const code = n === "x" ? /^[0-9a-f]{2}/i.exec(branch.slice(i + 1)) : n === "u" ? /^[0-9a-f]{4}/i.exec(branch.slice(i + 1)) : null;
      if (code) {
        atom = String.fromCharCode(Number.parseInt(code[0], 16)); // \xE9, \u00C5: a literal character
        i += code[0].length;
      } else if (n !== undefined && ESCAPED_LITERAL.has(n)) atom = n;
      else i += escapeTail(branch, i); // \1, \cJ, \k<name>: not text of their own; skip what belongs to them
    } else if (c === "[") {
      for (i++; i < branch.length && branch[i] !== "]"; i++) if (branch[i] === "\\") i++;
    } else if (c === "(") {
      const open = i;
      let depth = 1;
      for (i++; i < branch.length && depth > 0; i++) {
        if (branch[i] === "\\") i++;
        else if (branch[i] === "(") depth++;
        else if (branch[i] === ")") depth--;
      }
      i--;
      const inner = branch.slice(open + 1, i);
      if (!/^\?[=!<]/.test(inner) || /^\?<[A-Za-z]/.test(inner)) {
        group = requiredLiterals(inner.replace(/^\?(?::|<[A-Za-z][\w]*>)/, ""));
      }
    } else if (!META.has(c) && !"?*+{}|)]".includes(c)) {
      atom = c;
    }
    // A quantifier after the atom or group: optional ones drop it, all end the run.
    const q = branch[i + 1];
    if (q === "?" || q === "*" || (q === "{" && /^\{0[,}]/.test(branch.slice(i + 1)))) {
      flush();
      i += skipQuantifier(branch, i + 1);
      continue;
    }
    if (group !== null || c === "(") {
      flush();
      consider(group);
      if (q === "+" || q === "{") i += skipQuantifier(branch, i + 1);
      continue;
    }
    if (atom === null) {
      flush();
      continue;
    }
    run += atom.toLowerCase();
    if (q === "+" || q === "{") {
      flush();
      i += skipQuantifier(branch, i + 1);
    }
  }
  flush();
  return best;
}

/** How many characters after the escape letter at `at` still belong to it (back-references, \c, \k<name>). */
function escapeTail(s: string, at: number): number {
  const n = s[at];
  if (n !== undefined && n >= "1" && n <= "9") return /^\d*/.exec(s.slice(at + 1))?.[0].length ?? 0;
  if (n === "c") return 1;
  if (n === "k" && s[at + 1] === "<") {
    const close = s.indexOf(">", at);
    return close < 0 ? 0 : close - at;
  }
  return 0;
}

function skipQuantifier(s: string, at: number): number {
  let n = 0;
  if (s[at] === "{") {
    const close = s.indexOf("}", at);
    n = close < 0 ? 1 : close - at + 1;
  } else n = 1;
  if (s[at + n] === "?") n++; // lazy
  return n;
}
