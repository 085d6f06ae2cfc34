import * as z from "zod";
import { sleep } from "../util/sleep.ts";
import type { JobDefinition } from "./types.ts";

const payload = z.strictObject({
  sleepMs: z.number().int().min(0).max(86_400_000).optional().describe("milliseconds to sleep"),
  failTimes: z.number().int().min(0).max(1000).optional().describe("fail this many first attempts, then succeed"),
});

/** What a noop run returns: how long it slept, and which attempt succeeded. */
export interface NoopResult {
  slept: number;
  attempt: number;
}

/**
 * Does nothing, on purpose: sleeps `sleepMs`, fails its first `failTimes` attempts.
 * Checks an install ("is cron running my worker?") and gives tests and benchmarks a job
 * with known behaviour.
 */
export const noopJob: JobDefinition<z.infer<typeof payload>, NoopResult> = {
  type: "noop",
  summary: "sleeps sleepMs and fails the first failTimes attempts (install checks, tests)",
  payload,
  async run(ctx) {
    const { payload: p, job } = ctx;
    if (p.sleepMs) await sleep(p.sleepMs, ctx.signal); // read only when needed: the signal is made on first read
    if (p.failTimes && job.attempt <= p.failTimes) {
      throw new Error(`noop: failing attempt ${job.attempt} of the first ${p.failTimes}`);
    }
    return { result: { slept: p.sleepMs ?? 0, attempt: job.attempt } };
  },
};
