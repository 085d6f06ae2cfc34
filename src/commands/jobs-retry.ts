import { UsageError } from "../core/errors.ts";
import { loadJobType } from "../core/jobs/registry.ts";
import { retryJobs } from "../core/queue/admin.ts";
import { retryPolicy } from "../core/queue/backoff.ts";
import { JOB_TYPES } from "../core/jobs/registry.ts";
import { openContext, type GlobalOptions } from "./context.ts";
import { positiveId } from "./options.ts";
import { printJson, printLine } from "./output.ts";

export async function jobsRetry(g: GlobalOptions, idTexts: string[], o: { dead?: boolean; json?: boolean }): Promise<number> {
  if (o.dead && idTexts.length > 0) throw new UsageError("give job ids or --dead, not both");
  if (!o.dead && idTexts.length === 0) throw new UsageError("give the job ids to retry, or --dead for every dead job");
  const ids = idTexts.map((t) => positiveId(t));
  const attemptsOf = new Map<string, number>();
  for (const type of JOB_TYPES) attemptsOf.set(type, retryPolicy((await loadJobType(type)).retry).maxAttempts);
  const ctx = await openContext(g);
  try {
    const retried = await retryJobs(ctx.db, o.dead ? "dead" : ids, ctx.clock(), (type) => attemptsOf.get(type) ?? 3);
    if (o.json) printJson({ retried });
    else printLine(retried.length === 0 ? "no dead jobs to retry" : `retrying ${retried.length} job${retried.length === 1 ? "" : "s"}: ${retried.join(", ")}`);
    return 0;
  } finally {
    await ctx.close();
  }
}
