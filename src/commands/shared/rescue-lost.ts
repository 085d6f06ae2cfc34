import { rescueLostJobs, type RescuedJob } from "../../core/queue/rescue.ts";
import { rescuedDeadNotices } from "../../core/notify/dead-jobs.ts";
import { closeAbandonedBatches, settleBatchesOfDeadJobs } from "../../core/web/store/batches.ts";
import type { CommandContext } from "./context.ts";

/**
 * Returns the jobs of crashed workers to the queue, as `process` and `enqueue` both do at their
 * start: jobs that died of it are announced like any other death (a batch job's batch is closed,
 * as is one whose job was cancelled with it), and each is logged.
 */
export async function rescueLost(ctx: CommandContext, now: number): Promise<RescuedJob[]> {
  const notify = rescuedDeadNotices(ctx.config, now);
  const rescued = await rescueLostJobs(ctx.db, {
    now,
    ownerGone: ctx.ownerGone,
    onDead: async (trx, dead) => {
      await notify(trx, dead);
      await settleBatchesOfDeadJobs(
        trx,
        dead.map((d) => ({ id: d.id, error: d.reason })),
        now,
      );
    },
  });
  // A batch job cancelled with its lost worker never got back to its runner to settle the batch.
  if (rescued.some((r) => r.state === "cancelled")) await closeAbandonedBatches(ctx.db, now);
  for (const r of rescued) ctx.log.warn(`job ${r.id} (${r.type}) ${r.reason}; now ${r.state}`);
  return rescued;
}
