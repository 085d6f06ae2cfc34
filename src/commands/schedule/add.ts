import { scheduleSlug, timingOf } from "../../core/schedule/definition.ts";
import { describeCron } from "../../core/schedule/describe.ts";
import { addSchedule } from "../../core/schedule/store.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import { scheduleJson } from "../../core/schedule/json.ts";
import { checkScheduleReferences, definitionFromFlags, type ScheduleFlags } from "./input.ts";
import { ExitCode } from "../../core/errors.ts";
import { assertAllowed, auditName } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { nextRunText } from "./next-run.ts";

export async function scheduleAdd(g: GlobalOptions, f: ScheduleFlags): Promise<number> {
  const config = loadConfig(g);
  const d = await definitionFromFlags(f, config);
  const ctx = await openContextWith(g, config, { now: f.now });
  try {
    const actor = await actingUser(ctx.db, f.as);
    assertAllowed(actor, { kind: "schedule.add" });
    await checkScheduleReferences(d, ctx);
    const row = await addSchedule(ctx.db, { ...d, owner: actor.name }, auditName(actor), ctx.clock());
    if (f.json) printJson(scheduleJson(row));
    else {
      const slug = scheduleSlug(row.name) === row.name ? "" : `, \`${scheduleSlug(row.name)}\` on the command line`;
      printLine(
        `added schedule ${row.name} (id ${row.id}${slug}, ${row.type}${row.active ? "" : ", paused"}): ${describeCron(timingOf(row).cron)} (${row.tz}); next run ${nextRunText(row)}`,
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
