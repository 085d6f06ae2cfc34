import { loadJobType } from "../../job-types.ts";
import { triggerSchedule } from "../../core/schedule/tick.ts";
import { actingUser } from "../shared/actor.ts";
import { auditName } from "../../core/users/permissions.ts";
import { scheduleGuard } from "./permission.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import type { ChangeOptions } from "./pause-resume.ts";
import { ExitCode } from "../../core/errors.ts";

export async function scheduleTrigger(g: GlobalOptions, ref: string, o: ChangeOptions): Promise<number> {
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const actor = await actingUser(ctx.db, o.as);
    const { row, jobId } = await triggerSchedule(ctx.db, ref, {
      actor: auditName(actor),
      now: ctx.clock(),
      loadJobType,
      check: scheduleGuard(actor),
    });
    if (o.json) printJson({ schedule: row.name, scheduleId: row.id, jobId, type: row.type });
    else printLine(`triggered schedule ${row.name}: enqueued ${row.type} job ${jobId} (the next \`leadjobs process\` runs it)`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
