import { formatDuration } from "../../core/time.ts";
import { ANALYSIS_SPECS, type AnalysisType } from "../../core/web/analysis-types.ts";
import type { BatchReport, ItemReport } from "../../core/web/batch-report.ts";
import type { Group } from "../../core/web/fingerprints/compile.ts";
import { printLine, printTable, truncate, type Cell } from "../shared/output.ts";

const COLUMNS: Array<[Group, string, number]> = [
  ["platform", "platform", 24],
  ["payment", "payment", 30],
  ["delivery", "delivery", 18],
  ["carrier", "carriers", 40],
  ["other", "technologies", 40],
];

/** The item table of a batch (run-batch summary, jobs show): the columns of what the analysis covers. */
export async function printBatchItems(report: BatchReport): Promise<void> {
  const groups = ANALYSIS_SPECS[report.analysis as AnalysisType]?.groups ?? ["platform"];
  const columns = COLUMNS.filter(([g]) => groups.includes(g));
  await printTable(
    ["#", "site", "status", ...columns.map(([, h]) => h), "time", "note"],
    report.items.map((i): Cell[] => [
      i.position,
      truncate(site(i), 32),
      i.status + (i.retryCount > 0 ? ` (retry ${i.retryCount})` : ""),
      ...columns.map(([g, , w]) => truncate(g === "platform" ? i.result?.platform : list(i.result?.[g]), w)),
      i.durationMs === null ? "-" : formatDuration(i.durationMs),
      truncate(note(i), 50),
    ]),
  );
  const changed = report.items.filter((i) => i.changes.length > 0);
  if (changed.length > 0) {
    printLine("changes since the previous analysis:");
    for (const i of changed) for (const c of i.changes) printLine(`  ${site(i)}: ${c}`);
  }
}

/** One line: "batch 3 (checkout_scraping): 12 sites: 9 ok, 1 blocked, 1 failed, 1 skipped (no website)". */
export function batchLine(r: BatchReport): string {
  const c = r.counts;
  const parts = [`${c.ok} ok`];
  if (c.blocked) parts.push(`${c.blocked} blocked`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.skipped) {
    const robots = r.items.filter((i) => i.status === "skipped" && i.error === "skipped: robots.txt").length;
    if (c.skipped > robots) parts.push(`${c.skipped - robots} skipped (no website)`);
    if (robots) parts.push(`${robots} skipped (robots.txt)`);
  }
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  if (c.pending + c.running) parts.push(`${c.pending + c.running} not run yet`);
  return `batch ${r.id} (${r.analysis}): ${c.total} site${c.total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

export function site(i: Pick<ItemReport, "url" | "leadId" | "orgnr">): string {
  if (!i.url) return i.leadId !== null ? `lead ${i.leadId}` : (i.orgnr ?? "-");
  try {
    const u = new URL(i.url);
    return u.protocol === "file:" ? decodeURIComponent(u.pathname) : `${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return i.url;
  }
}

const list = (names: string[] | undefined) => (names && names.length > 0 ? names.join(", ") : "-");

function note(i: ItemReport): string | null {
  if (i.status === "blocked") return `${i.error ?? "blocked"}${i.nextAttemptAt ? `; again ${i.nextAttemptAt}` : ""}`;
  if (i.error) return i.error;
  return i.result?.notes?.[0] ?? null;
}

export interface ProgressLine {
  done: number;
  total: number;
  ok: number;
  failed: number;
  blocked: number;
  current: string[];
}

/** The progress bar: "[#######.......]  7/20  6 ok  1 failed  shop.se, butik.se". */
export function progressLine(p: ProgressLine, width: number): string {
  const barWidth = 20;
  const filled = p.total > 0 ? Math.round((p.done / p.total) * barWidth) : 0;
  const counts = `${p.done}/${p.total}  ${p.ok} ok  ${p.failed} failed${p.blocked ? `  ${p.blocked} blocked` : ""}`;
  const line = `[${"#".repeat(filled)}${".".repeat(barWidth - filled)}] ${counts}  ${p.current.join(", ")}`;
  return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}
