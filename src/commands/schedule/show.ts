import { timingOf, timingText } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { scheduleAudit, findSchedule, listSchedules } from "../../core/schedule/store.ts";
import { formatDuration, formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printFields, printJson, printLine, printTable } from "../shared/output.ts";
import { summaryJson } from "./json.ts";

export async function scheduleShow(g: GlobalOptions, ref: string, o: { now?: string; json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const now = ctx.clock();
    const row = await findSchedule(ctx.db, ref);
    const [summary] = await listSchedules(ctx.db, { id: row.id });
    const audit = await scheduleAudit(ctx.db, row.id, 20);
    if (!summary) return 0;
    const doc = summaryJson(summary, now, ctx.config.overdueAfter);
    if (o.json) {
      printJson({ schedule: doc, audit });
      return 0;
    }
    const at = (iso: string | null) => (iso === null ? "-" : `${formatInZone(iso, row.tz)} (${formatRelative(iso, now)})`);
    const lines: Array<[string, string]> = [
      ["type", row.type],
      ["payload", row.payload],
      ["owner", row.owner],
      ["state", row.active ? (doc.overdue ? "active, OVERDUE (is `leadjobs enqueue` running?)" : "active") : "paused"],
      ["when", `${describeCron(timingOf(row).cron)} (${timingText(row)}, ${row.tz})`],
      ["missed runs", row.misfire === "skip" ? `skip (grace ${formatDuration(row.grace_ms)})` : row.misfire === "all" ? `all (cap ${row.catch_up_cap})` : "coalesce"],
      ["priority", String(row.priority)],
      ...(row.timeout_ms === null ? [] : [["timeout", formatDuration(row.timeout_ms)] as [string, string]]),
      ...(row.then_type === null ? [] : [["then", `${row.then_type} ${row.then_payload ?? "{}"} (after each run that completed)`] as [string, string]]),
      ["next run", row.active ? at(row.next_fire_at) : "- (paused)"],
      ["last run", row.last_run_at === null ? "never" : `${at(row.last_run_at)}: ${summary.lastOutcome ?? "-"}${summary.lastError ? ` (${summary.lastError})` : ""}`],
      ["runs", `${row.total_runs} (${row.missed_runs} missed)`],
      ["created", at(row.created_at)],
    ];
    const metrics = Object.entries(summary.metrics);
    if (metrics.length > 0) lines.push(["metrics", metrics.map(([k, v]) => `${k} ${v}`).join(", ")]);
    printLine(bold(`schedule ${row.name} (id ${row.id})`));
    printFields(lines);
    if (audit.length > 0) {
      printLine("");
      printLine(bold("changes"));
      await printTable(["when", "who", "what", "details"], audit.map((a) => [
        formatInZone(a.at, row.tz), a.actor, a.action,
        a.action === "edit" ? Object.entries(a.changes as Record<string, [unknown, unknown]>).map(([k, [x, y]]) => `${k}: ${JSON.stringify(x)} → ${JSON.stringify(y)}`).join("; ") : "",
      ]));
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
