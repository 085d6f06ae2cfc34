import type { Config } from "../../core/config.ts";
import { noticeDeadJobs } from "../../core/notify/dead-jobs.ts";
import type { JobEndHook } from "../../core/queue/ended.ts";
import { closeAbandonedBatchesInTx, settleBatchesOfDeadJobs } from "../../core/web/store/batches.ts";

/**
 * What follows jobs that died or were cancelled, on every path that records such ends (`process`,
 * a foreground run, the rescue of a crashed worker's jobs), inside the transaction that records
 * them: the dead are announced to the operators and their web batches finished with their error;
 * a web batch left with no job to run it (its job cancelled before it ran, or with the job it
 * waited on) is finished as cancelled.
 */
export function jobEndHook(config: Config): JobEndHook {
  return async (trx, { dead }, now) => {
    if (dead.length > 0) {
      await noticeDeadJobs(trx, dead, config, now);
      await settleBatchesOfDeadJobs(trx, dead, now); // closes the abandoned batches too
    } else await closeAbandonedBatchesInTx(trx, now);
  };
}
