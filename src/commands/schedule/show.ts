import { timingOf, timingText } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { scheduleAudit, findRemovedSchedule, findSchedule, listSchedules, type AuditEntry } from "../../core/schedule/store.ts";
import type { Db } from "../../core/db/handle.ts";
import { formatDuration, formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printFields, printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";
import { summaryJson } from "../../core/schedule/json.ts";

export async function scheduleShow(g: GlobalOptions, ref: string, o: { now?: string; json?: boolean; removed?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    if (o.removed) return await showRemoved(ctx.db, ref, o.json === true);
    const now = ctx.clock();
    const row = await findSchedule(ctx.db, ref);
    const [summary] = await listSchedules(ctx.db, { id: row.id });
    const audit = await scheduleAudit(ctx.db, row.id, 20);
    if (!summary) return ExitCode.Ok;
    const doc = summaryJson(summary, now, ctx.config.overdueAfter);
    if (o.json) {
      printJson({ schedule: doc, audit });
      return ExitCode.Ok;
    }
    const at = (iso: string | null) => (iso === null ? "-" : `${formatInZone(iso, row.tz)} (${formatRelative(iso, now)})`);
    const lines: Array<[string, string]> = [
      ["type", row.type],
      ["payload", row.payload],
      ["owner", row.owner],
      ["state", row.active ? (doc.overdue ? "active, OVERDUE (is `leadjobs enqueue` running?)" : "active") : "paused"],
      ["when", `${describeCron(timingOf(row).cron)} (${timingText(row)}, ${row.tz})`],
      [
        "missed runs",
        row.misfire === "skip"
          ? `skip (grace ${formatDuration(row.grace_ms)})`
          : row.misfire === "all"
            ? `all (cap ${row.catch_up_cap})`
            : "coalesce",
      ],
      ["priority", String(row.priority)],
      ...(row.timeout_ms === null ? [] : [["timeout", formatDuration(row.timeout_ms)] as [string, string]]),
      ...(row.then_type === null
        ? []
        : [["then", `${row.then_type} ${row.then_payload ?? "{}"} (after each run that completed)`] as [string, string]]),
      ["next run", row.active ? at(row.next_fire_at) : "- (paused)"],
      [
        "last run",
        row.last_run_at === null
          ? "never"
          : `${at(row.last_run_at)}: ${summary.lastOutcome ?? "-"}${summary.lastError ? ` (${summary.lastError})` : ""}`,
      ],
      ["runs", `${row.total_runs} (${row.missed_runs} missed)`],
      ["created", at(row.created_at)],
    ];
    const metrics = Object.entries(summary.metrics);
    if (metrics.length > 0) lines.push(["metrics", metrics.map(([k, v]) => `${k} ${v}`).join(", ")]);
    printLine(bold(`schedule ${row.name} (id ${row.id})`));
    printFields(lines);
    await printChanges(audit, row.tz);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

async function printChanges(audit: AuditEntry[], tz: string): Promise<void> {
  if (audit.length === 0) return;
  printLine("");
  printLine(bold("changes"));
  await printTable(
    ["when", "who", "what", "details"],
    audit.map((a) => [
      formatInZone(a.at, tz),
      a.actor,
      a.action,
      a.action === "edit"
        ? Object.entries(a.changes as Record<string, [unknown, unknown]>)
            .map(([k, [x, y]]) => `${k}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`)
            .join("; ")
        : "",
    ]),
  );
}

/** `schedule show --removed`: what the audit trail keeps of a removed schedule. */
async function showRemoved(db: Db, ref: string, json: boolean): Promise<number> {
  const removed = await findRemovedSchedule(db, ref);
  if (json) {
    printJson({ removed });
    return 0;
  }
  const d = removed.definition as { type?: string; payload?: unknown; owner?: string; tz?: string; cron?: string };
  const tz = d.tz ?? "Europe/Stockholm";
  printLine(bold(`removed schedule ${removed.name} (id ${removed.id})`));
  printFields([
    ["removed", `${formatInZone(removed.removedAt, tz)} by ${removed.removedBy}`],
    ["type", d.type ?? "-"],
    ["payload", JSON.stringify(d.payload ?? {})],
    ["owner", d.owner ?? "-"],
    ["when", d.cron === undefined ? "-" : `${d.cron} (${tz})`],
  ]);
  await printChanges(removed.audit, tz);
  return 0;
}
