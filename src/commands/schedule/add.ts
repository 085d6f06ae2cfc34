import { timingOf } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { formatInZone } from "../../core/schedule/format.ts";
import { addSchedule } from "../../core/schedule/store.ts";
import { loadConfig, openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { scheduleJson } from "./json.ts";
import { checkScheduleReferences, definitionFromFlags, type ScheduleFlags } from "./input.ts";

export async function scheduleAdd(g: GlobalOptions, f: ScheduleFlags): Promise<number> {
  const d = await definitionFromFlags(f, loadConfig(g));
  const ctx = await openContext(g, {}, { now: f.now });
  try {
    await checkScheduleReferences(d, ctx);
    const row = await addSchedule(ctx.db, d, d.owner, ctx.clock());
    if (f.json) printJson(scheduleJson(row));
    else {
      const next = row.next_fire_at === null ? "never" : formatInZone(row.next_fire_at, row.tz);
      printLine(`added schedule ${row.name} (id ${row.id}, ${row.type}${row.active ? "" : ", paused"}): ${describeCron(timingOf(row).cron)} (${row.tz}); next run ${next}`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
