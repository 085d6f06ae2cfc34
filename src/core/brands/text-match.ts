/**
 * Finding names in AI answers: case-insensitive, diacritics folded (Åhléns = Ahlens), on word
 * boundaries (Bring is not found in Bringo), longest name first where names overlap
 * (Bring Express is one mention, not also one of Bring).
 */

export interface Subject {
  /** null for the brand itself, else the competitor's id. */
  competitorId: number | null;
  name: string;
  aliases: readonly string[];
}

export interface Match {
  subject: Subject;
  /** Offsets in the original text. */
  start: number;
  end: number;
}

export interface FoldedText {
  folded: string;
  /** folded index -> original index */
  origin: number[];
}

/** Lower-case, without combining marks; keeps a map back to the original offsets. */
export function foldText(text: string): FoldedText {
  let folded = "";
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
    i += ch.length;
  }
  origin.push(i);
  return { folded, origin };
}

const foldCache = new Map<string, string>();
function foldChar(ch: string): string {
  if (ch.charCodeAt(0) < 128) return ch.toLowerCase();
  let f = foldCache.get(ch);
  if (f === undefined) {
    f = ch
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .toLowerCase();
    foldCache.set(ch, f);
  }
  return f;
}

export function fold(text: string): string {
  return foldText(text).folded;
}

const WORD = /[\p{L}\p{N}]/u;

/** Every non-overlapping mention of the subjects, in text order. */
export function findMentions(text: string, subjects: readonly Subject[], pre?: FoldedText): Match[] {
  const { folded, origin } = pre ?? foldText(text);
  const candidates: Array<{ subject: Subject; start: number; end: number }> = [];
  for (const subject of subjects) {
    for (const name of new Set([subject.name, ...subject.aliases])) {
      const needle = fold(name).trim();
      if (needle.length === 0) continue;
      for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) {
        const end = at + needle.length;
        if (at > 0 && WORD.test(folded[at - 1] as string) && WORD.test(needle[0] as string)) continue;
        if (end < folded.length && WORD.test(folded[end] as string) && WORD.test(needle[needle.length - 1] as string)) continue;
        candidates.push({ subject, start: at, end });
      }
    }
  }
  // Longest first at each position, then drop anything overlapping an accepted match.
  candidates.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const accepted: Match[] = [];
  let reach = -1;
  for (const c of candidates) {
    if (c.start < reach) continue;
    accepted.push({ subject: c.subject, start: origin[c.start] as number, end: origin[c.end] as number });
    reach = c.end;
  }
  return accepted;
}
