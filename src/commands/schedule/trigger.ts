import { loadJobType } from "../../job-types.ts";
import { triggerSchedule } from "../../core/schedule/tick.ts";
import { actorFrom } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import type { ChangeOptions } from "./pause-resume.ts";
import { ExitCode } from "../../core/errors.ts";

export async function scheduleTrigger(g: GlobalOptions, ref: string, o: ChangeOptions): Promise<number> {
  const actor = actorFrom(o.as);
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const { row, jobId } = await triggerSchedule(ctx.db, ref, { actor, now: ctx.clock(), loadJobType });
    if (o.json) printJson({ schedule: row.name, scheduleId: row.id, jobId, type: row.type });
    else printLine(`triggered schedule ${row.name}: enqueued ${row.type} job ${jobId} (the next \`leadjobs process\` runs it)`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
