import { removeSchedule } from "../../core/schedule/store.ts";
import { actorFrom } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";
import type { ChangeOptions } from "./pause-resume.ts";
import { ExitCode } from "../../core/errors.ts";
import { scheduleJson } from "../../core/schedule/json.ts";

export async function scheduleRemove(g: GlobalOptions, ref: string, o: ChangeOptions): Promise<number> {
  const actor = actorFrom(o.as);
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const { row, liveJobs } = await removeSchedule(ctx.db, ref, actor, ctx.clock());
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
