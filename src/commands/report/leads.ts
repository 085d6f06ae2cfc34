import { formatUsd } from "../../core/integrations/llm/prices.ts";
import { leadReport, type ScheduleLine } from "../../core/leads/report.ts";
import { formatDuration } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption } from "../shared/options.ts";
import { bold, printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function reportLeads(g: GlobalOptions, o: { days?: string; now?: string; json?: boolean }): Promise<number> {
  const days = intOption(o.days, "--days", 1, 3650) ?? 30;
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const r = await leadReport(ctx.db, { now: ctx.clock(), days });
    if (o.json) {
      printJson({ days, ...r });
      return ExitCode.Ok;
    }
    printLine(bold("lead jobs per schedule"));
    if (r.bySchedule.length === 0) printLine("  no lead job has run yet");
    else {
      await printTable(
        ["schedule", "runs", "found", "analysed", "success rate", "cost", "last run"],
        r.bySchedule.map((s) => [
          scheduleLabel(s),
          s.runs,
          s.found,
          s.analysed,
          s.successRate === null ? null : `${Math.round(s.successRate * 100)}%`,
          formatUsd(s.costMicroUsd),
          s.lastRunAt?.slice(0, 16).replace("T", " "),
        ]),
      );
    }
    printLine(bold(`lead jobs per day, last ${days} days (UTC)`));
    if (r.byDay.length === 0) printLine("  no executions in this period");
    else {
      await printTable(
        ["day", "executions", "found", "created", "avg duration"],
        r.byDay.map((d) => [d.day, d.executions, d.found, d.created, d.avgDurationMs === null ? null : formatDuration(d.avgDurationMs)]),
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** A schedule by name ("(by hand)" for runs without one; the id when no name is known). */
export function scheduleLabel(s: Pick<ScheduleLine, "scheduleId" | "scheduleName" | "scheduleRemoved">): string {
  if (s.scheduleId === null) return "(by hand)";
  return `${s.scheduleName ?? `schedule ${s.scheduleId}`}${s.scheduleRemoved ? " (removed)" : ""}`;
}
