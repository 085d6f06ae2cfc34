import type { AnalysisType, WebAnalysisRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { ANALYSIS_SPECS } from "./analysis-types.ts";
import type { Detection } from "./detect.ts";
import type { Group } from "./fingerprints/compile.ts";
import { analysesOf, storedDetections, type Subject } from "./store/analyses.ts";

export interface WebChange {
  group: Group;
  kind: "switched" | "added" | "removed" | "version";
  from: string[];
  to: string[];
  /** When the change was seen (the newer analysis) and the analysis it is compared with. */
  at: string;
  since: string;
}

interface Snapshot {
  at: string;
  analysis: AnalysisType;
  detections: Detection[];
}

const GROUP_LABEL: Record<Group, string> = {
  platform: "platform",
  payment: "payment",
  delivery: "delivery checkout",
  carrier: "carriers",
  other: "technology",
};

/** Compares two analyses group by group (only the groups both of them cover). */
export function diffSnapshots(older: Snapshot, newer: Snapshot, groups: readonly Group[]): WebChange[] {
  const out: WebChange[] = [];
  for (const g of groups) {
    const before = new Map(older.detections.filter((d) => d.group === g).map((d) => [d.name, d]));
    const after = new Map(newer.detections.filter((d) => d.group === g).map((d) => [d.name, d]));
    const removed = [...before.keys()].filter((n) => !after.has(n)).sort();
    const added = [...after.keys()].filter((n) => !before.has(n)).sort();
    const base = { group: g, at: newer.at, since: older.at };
    if (removed.length > 0 && added.length > 0 && g !== "other") out.push({ ...base, kind: "switched", from: removed, to: added });
    else {
      if (added.length > 0) out.push({ ...base, kind: "added", from: [], to: added });
      if (removed.length > 0) out.push({ ...base, kind: "removed", from: removed, to: [] });
    }
    if (g === "platform") {
      for (const [name, d] of after) {
        const was = before.get(name);
        if (was?.version && d.version && was.version !== d.version)
          out.push({ ...base, kind: "version", from: [`${name} ${was.version}`], to: [`${name} ${d.version}`] });
      }
    }
  }
  return out;
}

/** One line for humans: "payment: switched from Klarna to Walley on 2026-11-02". */
export function describeChange(c: WebChange): string {
  const on = `on ${stockholmDate(c.at)}`;
  const list = (names: string[]) => names.join(" and ");
  const label = GROUP_LABEL[c.group];
  switch (c.kind) {
    case "switched":
      return `${label}: switched from ${list(c.from)} to ${list(c.to)} ${on}`;
    case "added":
      return `${label}: added ${list(c.to)} ${on}`;
    case "removed":
      return `${label}: no longer ${list(c.from)} ${on}`;
    case "version":
      return `${label}: ${list(c.from)} → ${c.to.join(", ").replace(/^[^ ]+ /, "")} ${on}`;
  }
}

function stockholmDate(iso: string): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

const snapshot = (r: WebAnalysisRow): Snapshot => ({ at: r.analysed_at, analysis: r.analysis, detections: storedDetections(r) });

/**
 * What changed in the latest successful analysis of a lead, company or site, compared per
 * group with the latest earlier successful analysis that covered that group. Empty when
 * nothing changed or there is nothing to compare with. (`leads show` prints these lines.)
 */
export async function latestWebChanges(db: Db, subject: Subject): Promise<WebChange[]> {
  const ok = (await analysesOf(db, subject, 200)).filter((r) => r.status === "ok").map(snapshot);
  const [latest, ...earlier] = ok;
  return latest ? changesAgainst(latest, earlier) : [];
}

/** Every change over the subject's history, oldest first. */
export async function webChangeHistory(db: Db, subject: Subject): Promise<WebChange[]> {
  const ok = (await analysesOf(db, subject, 200)).filter((r) => r.status === "ok").map(snapshot);
  const out: WebChange[] = [];
  for (let i = ok.length - 2; i >= 0; i--) out.push(...changesAgainst(ok[i] as Snapshot, ok.slice(i + 1)));
  return out;
}

function changesAgainst(newer: Snapshot, earlierNewestFirst: Snapshot[]): WebChange[] {
  const out: WebChange[] = [];
  for (const g of ANALYSIS_SPECS[newer.analysis].groups) {
    const previous = earlierNewestFirst.find((s) => ANALYSIS_SPECS[s.analysis].groups.includes(g));
    if (previous) out.push(...diffSnapshots(previous, newer, [g]));
  }
  return out;
}

/** The changes one recorded analysis showed against the subject's earlier ones (for batch summaries). */
export async function changesForAnalysis(db: Db, analysisId: number): Promise<WebChange[]> {
  const row = await db.selectFrom("web_analysis").selectAll().where("id", "=", analysisId).executeTakeFirst();
  if (row?.status !== "ok") return [];
  const subject = row.orgnr ? { orgnr: row.orgnr } : { site: row.site };
  const earlier = (await analysesOf(db, subject, 200)).filter((r) => r.status === "ok" && r.id < row.id).map(snapshot);
  return changesAgainst(snapshot(row), earlier);
}
