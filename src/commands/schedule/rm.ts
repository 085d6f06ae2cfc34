import { removeSchedule } from "../../core/schedule/store.ts";
import { actingUser } from "../shared/actor.ts";
import { auditName } from "../../core/users/permissions.ts";
import { scheduleGuard } from "./permission.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import type { ChangeOptions } from "./pause-resume.ts";
import { ExitCode } from "../../core/errors.ts";
import { scheduleJson } from "../../core/schedule/json.ts";

export async function scheduleRemove(g: GlobalOptions, ref: string, o: ChangeOptions): Promise<number> {
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const actor = await actingUser(ctx.db, o.as);
    const { row, liveJobs } = await removeSchedule(ctx.db, ref, auditName(actor), ctx.clock(), scheduleGuard(actor));
    if (o.json) printJson({ removed: scheduleJson(row), liveJobs });
    else
      printLine(
        `removed schedule ${row.name} (id ${row.id})${liveJobs > 0 ? `; its ${liveJobs} queued job(s) stay in the queue (\`leadjobs jobs cancel\` to drop them)` : ""}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
