import { cancelJobs } from "../../core/queue/admin.ts";
import { actingUser } from "../shared/actor.ts";
import { jobEndHook } from "../shared/job-ends.ts";
import { assertAllowed, auditName } from "../../core/users/permissions.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function jobsCancel(g: GlobalOptions, idTexts: string[], o: { json?: boolean }): Promise<number> {
  const ids = idTexts.map((t) => positiveId(t));
  const ctx = await openContext(g);
  try {
    const actor = await actingUser(ctx.db, undefined);
    assertAllowed(actor, { kind: "jobs.write" });
    // A web.batch job cancelled before it ran (or with the job it depends on) leaves its batch to the hook.
    const results = await cancelJobs(ctx.db, ids, ctx.clock(), auditName(actor), jobEndHook(ctx.config));
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
