import { deadJobNotifier } from "../../src/core/notify/dead-jobs.ts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveConfig } from "../../src/core/config.ts";
import { loadJobType } from "../../src/job-types.ts";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { getJob } from "../../src/core/queue/inspect.ts";
import { runWorker } from "../../src/core/runtime/worker.ts";
import { silentLogger } from "../../src/core/types.ts";
import { testStore } from "../helpers/store.ts";

describe("the worker loop", () => {
  it("a stop signal that arrives while finished jobs are being recorded is not lost: the long job is released", async () => {
    const { db } = await testStore();
    const now = Date.now();
    await enqueueJobs(db, [
      { type: "noop", payload: { sleepMs: 5 }, maxAttempts: 3, priority: 1 },
      { type: "noop", payload: { sleepMs: 50_000 }, maxAttempts: 3 },
    ], now);
    const stop = new AbortController();
    const summary = await runWorker({
      db, owner: "test:1", concurrency: 2, wait: false, pollMs: 50, leaseMs: 30_000, graceMs: 100, stop: stop.signal,
      clock: Date.now, random: () => 0.5, log: silentLogger, config: resolveConfig({}, {}, {}), onDead: deadJobNotifier(resolveConfig({}, {}, {})), env: {}, loadJobType,
      // Called while the worker records the short job's end: the signal comes in the middle of that.
      onJobEnd: () => stop.abort(),
    });
    expect(summary).toMatchObject({ claimed: 2, completed: 1, released: 1, stoppedBy: "signal" });
    expect(await db.selectFrom("job").select(["id", "state", "attempts"]).orderBy("id").execute()).toEqual([
      { id: 1, state: "completed", attempts: 1 }, { id: 2, state: "pending", attempts: 0 },
    ]);
  });

  it("a job whose handler hangs past its timeout counts as timed out when the worker stops, not as released", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "hangs", payload: {}, maxAttempts: 2 }], Date.now());
    const stop = new AbortController();
    const hangs: JobDefinition<unknown> = {
      type: "hangs", summary: "ignores its timeout", payload: z.object({}), timeoutMs: 20,
      run: ({ signal }) => {
        signal.addEventListener("abort", () => stop.abort()); // the operator gives up on it
        return new Promise(() => undefined);
      },
    };
    const summary = await runWorker({
      db, owner: "test:1", concurrency: 1, wait: false, pollMs: 50, leaseMs: 30_000, graceMs: 50, stop: stop.signal,
      clock: Date.now, random: () => 0.5, log: silentLogger, config: resolveConfig({}, {}, {}), onDead: deadJobNotifier(resolveConfig({}, {}, {})), env: {}, loadJobType: async () => hangs,
    });
    expect(summary).toMatchObject({ claimed: 1, retried: 1, released: 0, stoppedBy: "signal" });
    const { job, attempts } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "pending", attempts: 1, last_error: "timed out after 20ms" });
    expect(attempts.map((a) => a.outcome)).toEqual(["timed_out"]);
  });
});
