import { rescueLostJobs, type RescuedJob } from "../../core/queue/rescue.ts";
import { rescuedDeadNotices } from "../../core/notify/dead-jobs.ts";
import type { CommandContext } from "./context.ts";

/**
 * Returns the jobs of crashed workers to the queue, as `process` and `enqueue` both do at their
 * start: jobs that died of it are announced like any other death, and each is logged.
 */
export async function rescueLost(ctx: CommandContext, now: number): Promise<RescuedJob[]> {
  const rescued = await rescueLostJobs(ctx.db, { now, ownerGone: ctx.ownerGone, onDead: rescuedDeadNotices(ctx.config, now) });
  for (const r of rescued) ctx.log.warn(`job ${r.id} (${r.type}) ${r.reason}; now ${r.state}`);
  return rescued;
}
