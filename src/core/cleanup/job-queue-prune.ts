import * as z from "zod";
import { pruneHistory, type HistoryPruneSummary } from "../queue/prune.ts";
import { parseDuration } from "../time.ts";
import { durationField } from "../jobs/duration-field.ts";
import { PermanentJobError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({
  jobRetention: durationField.optional().describe("keep completed and cancelled jobs this long; default: the jobRetention setting (30d)"),
  deadJobRetention: durationField.optional().describe("keep dead jobs this long; default: the deadJobRetention setting (90d)"),
});

/** What a prune deleted. */
export type QueuePruneResult = HistoryPruneSummary;

/** Prunes queue history: old finished jobs with their attempts, and old command runs. */
export const queuePruneJob: JobDefinition<z.infer<typeof payload>, QueuePruneResult> = {
  type: "queue.prune",
  summary: "deletes completed jobs (30d), dead jobs (90d) and their attempts; never pending or running ones",
  timeoutMs: 60 * 60_000,
  payload,
  async run(ctx) {
    const now = ctx.now();
    const finished = ctx.payload.jobRetention ? parseDuration(ctx.payload.jobRetention) : ctx.config.jobRetention;
    const dead = ctx.payload.deadJobRetention ? parseDuration(ctx.payload.deadJobRetention) : ctx.config.deadJobRetention;
    if (finished <= 0 || dead <= 0)
      throw new PermanentJobError("jobRetention and deadJobRetention must be longer than 0 (0 would delete all history)");
    const history = await pruneHistory(ctx.db, { finishedBefore: now - finished, deadBefore: now - dead, signal: ctx.signal });
    ctx.addMetrics({ jobs: history.jobs, deadJobs: history.deadJobs, attempts: history.attempts });
    return { result: history };
  },
};
