import { formatInZone } from "../../core/schedule/format.ts";
import { catchUpSentence } from "./catch-up.ts";
import { plural } from "../../core/util/plural.ts";
import { catchUps, scheduleHistoryPage } from "../../core/schedule/history.ts";
import { findSchedule } from "../../core/schedule/store.ts";
import { formatDuration } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { bold, printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function scheduleHistoryCommand(g: GlobalOptions, ref: string, o: PagingFlags & { json?: boolean }): Promise<number> {
  const page = pageOption(o, 30);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const row = await findSchedule(ctx.db, ref);
    const { items: fires, total } = await scheduleHistoryPage(ctx.db, row.id, page);
    const caught = await catchUps(ctx.db, { scheduleIds: [row.id], limit: 10 });
    if (o.json) {
      printJson({
        schedule: row.name,
        scheduleId: row.id,
        tz: row.tz,
        catchUps: caught.map((c) => ({ ...c, summary: catchUpSentence(c, row.tz) })),
        ...pageJson(page, total, fires.length),
        fires,
      });
      return ExitCode.Ok;
    }
    printLine(bold(`schedule ${row.name}: ${plural(row.total_runs, "run")}, ${row.missed_runs} missed`));
    for (const c of caught) printLine(`  ${catchUpSentence(c, row.tz)}`);
    if (fires.length === 0) {
      printLine(pastTheEnd(page, total, "fires") ?? "no fires yet");
      return ExitCode.Ok;
    }
    await printTable(
      ["fire time", "kind", "late", "job", "outcome", "attempts", "duration", "note"],
      fires.map((f) => [
        f.fireCount > 1 && f.lastFireAt
          ? `${formatInZone(f.fireAt, row.tz)} … ${formatInZone(f.lastFireAt, row.tz)} (${f.fireCount})`
          : formatInZone(f.fireAt, row.tz),
        f.kind,
        f.kind === "trigger" ? "-" : formatDuration(f.lateMs),
        f.job?.id ?? "-",
        f.job?.state ?? "-",
        f.job?.attempts ?? "-",
        f.job?.durationMs == null ? "-" : formatDuration(f.job.durationMs),
        truncate(f.kind === "trigger" ? `by ${f.actor ?? "?"}` : (f.reason ?? f.job?.error ?? ""), 60),
      ]),
    );
    printMore(page, total, fires.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
