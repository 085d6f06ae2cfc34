import { rescueLostJobs, type RescuedJob } from "../../core/queue/rescue.ts";
import type { CommandContext } from "./context.ts";
import { jobEndHook } from "./job-ends.ts";

/**
 * Returns the jobs of crashed workers to the queue, as `process` and `enqueue` both do at their
 * start: jobs that died or were cancelled of it are followed up like any other such end
 * (jobEndHook), and each is logged.
 */
export async function rescueLost(ctx: CommandContext, now: number): Promise<RescuedJob[]> {
  const rescued = await rescueLostJobs(ctx.db, { now, ownerGone: ctx.ownerGone, onEnded: jobEndHook(ctx.config) });
  for (const r of rescued) ctx.log.warn(`job ${r.id} (${r.type}) ${r.reason}; now ${r.state}`);
  return rescued;
}
