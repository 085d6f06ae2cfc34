import { cancelJobs } from "../../core/queue/admin.ts";
import { actorFrom } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function jobsCancel(g: GlobalOptions, idTexts: string[], o: { json?: boolean }): Promise<number> {
  const ids = idTexts.map((t) => positiveId(t));
  const ctx = await openContext(g);
  try {
    const results = await cancelJobs(ctx.db, ids, ctx.clock(), actorFrom(undefined));
    if (o.json) printJson({ jobs: results });
    else
      for (const r of results)
        printLine(
          r.outcome === "cancelled"
            ? `job ${r.id} cancelled`
            : `job ${r.id} is running: cancel requested, its worker stops it at the next check`,
        );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
