import type { Match, Subject } from "./text-match.ts";

export interface Position {
  subject: Subject;
  mentioned: boolean;
  /** 1-based; null when not mentioned. */
  position: number | null;
  /** list: the rank of the first list item naming it; mention: its order of first mention. */
  kind: "list" | "mention" | null;
  firstOffset: number | null;
}

interface ListItem {
  start: number;
  end: number;
}

const LIST_ITEM = /^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+\S/;

/** The items of the first list in the text (two or more consecutive list lines). */
export function listItems(text: string): ListItem[] {
  const items: ListItem[] = [];
  let offset = 0;
  let inList = false;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    if (LIST_ITEM.test(line)) {
      items.push({ start, end: start + line.length });
      inList = true;
    } else if (inList && line.trim() !== "" && /^[ \t]{2,}/.test(line)) {
      const last = items[items.length - 1];
      if (last) last.end = start + line.length; // an indented continuation belongs to the item
    } else if (inList && line.trim() !== "") {
      if (items.length >= 2) break;
      items.length = 0;
      inList = false;
    }
  }
  return items.length >= 2 ? items : [];
}

/** Where each subject appears: its list rank when the answer ranks things in a list, else its order of first mention. */
export function positions(text: string, subjects: readonly Subject[], mentions: readonly Match[]): Position[] {
  const items = listItems(text);
  const first = new Map<Subject, number>();
  for (const m of mentions) if (!first.has(m.subject)) first.set(m.subject, m.start);
  const byFirstMention = [...first.entries()].sort((a, b) => a[1] - b[1]).map(([s]) => s);
  return subjects.map((subject) => {
    const firstOffset = first.get(subject);
    if (firstOffset === undefined) return { subject, mentioned: false, position: null, kind: null, firstOffset: null };
    const item = items.findIndex((it) => mentions.some((m) => m.subject === subject && m.start >= it.start && m.start < it.end));
    if (item >= 0) return { subject, mentioned: true, position: item + 1, kind: "list", firstOffset };
    return { subject, mentioned: true, position: byFirstMention.indexOf(subject) + 1, kind: "mention", firstOffset };
  });
}
