import { scheduleSlug, timingText } from "../../core/schedule/definition.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { listSchedules } from "../../core/schedule/store.ts";
import { formatRelative } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { pageOf } from "../../core/util/paging.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";
import { isOverdue, summaryJson } from "../../core/schedule/json.ts";

export interface ScheduleListOptions extends PagingFlags {
  owner?: string;
  now?: string;
  json?: boolean;
}

export async function scheduleList(g: GlobalOptions, o: ScheduleListOptions): Promise<number> {
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const overdueAfter = ctx.config.overdueAfter;
    const { items: list, total } = pageOf(await listSchedules(ctx.db, { owner: o.owner }), page);
    if (o.json) {
      printJson({
        owner: o.owner ?? null,
        ...pageJson(page, total, list.length),
        schedules: list.map((s) => summaryJson(s, now, overdueAfter)),
      });
      return ExitCode.Ok;
    }
    if (list.length === 0) {
      const what = o.owner ? `schedules owned by ${o.owner}` : "schedules";
      printLine(pastTheEnd(page, total, what) ?? (o.owner ? `no ${what}` : "no schedules (add one with `leadjobs schedule add`)"));
      return ExitCode.Ok;
    }
    await printTable(
      ["name", "type", "owner", "when", "next run", "last run", "outcome", "runs", "missed", "state"],
      list.map(({ row: r, lastOutcome }) => [
        scheduleSlug(r.name) === r.name ? r.name : `${r.name}\n(${scheduleSlug(r.name)})`,
        r.type,
        r.owner,
        `${timingText(r)}${r.tz === ctx.config.scheduleTimezone ? "" : ` ${r.tz}`}`,
        r.active === 0 || r.next_fire_at === null ? "-" : `${formatInZone(r.next_fire_at, r.tz)} (${formatRelative(r.next_fire_at, now)})`,
        formatRelative(r.last_run_at, now),
        lastOutcome,
        r.total_runs,
        r.missed_runs,
        r.active === 0 ? "paused" : isOverdue(r, now, overdueAfter) ? "OVERDUE" : "active",
      ]),
    );
    printMore(page, total, list.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
