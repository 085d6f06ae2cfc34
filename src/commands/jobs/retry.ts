import { ExitCode, UsageError } from "../../core/errors.ts";
import { isJobType, loadJobType } from "../../job-types.ts";
import { retryJobs } from "../../core/queue/admin.ts";
import { assertAllowed } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function jobsRetry(g: GlobalOptions, idTexts: string[], o: { dead?: boolean; json?: boolean }): Promise<number> {
  if (o.dead && idTexts.length > 0) throw new UsageError("give job ids or --dead, not both");
  if (!o.dead && idTexts.length === 0) throw new UsageError("give the job ids to retry, or --dead for every dead job");
  const ids = idTexts.map((t) => positiveId(t));
  // Only the types of the jobs retried are loaded (their policies and dedupe keys).
  const typeOf = async (type: string) => (isJobType(type) ? await loadJobType(type) : undefined);
  const ctx = await openContext(g);
  try {
    assertAllowed(await actingUser(ctx.db, undefined), { kind: "jobs.write" });
    const { retried, skipped } = await retryJobs(ctx.db, o.dead ? "dead" : ids, ctx.clock(), typeOf);
    if (o.json) printJson({ retried, skipped });
    else {
      printLine(
        retried.length === 0
          ? "no dead jobs to retry"
          : `retrying ${retried.length} job${retried.length === 1 ? "" : "s"}: ${retried.join(", ")}`,
      );
      for (const s of skipped) printLine(`left job ${s.id} dead: ${s.reason}`);
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
