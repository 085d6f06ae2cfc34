import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveConfig } from "../../src/core/config.ts";
import type { Db } from "../../src/core/db/handle.ts";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { cancelJobs } from "../../src/core/queue/admin.ts";
import { getJob } from "../../src/core/queue/inspect.ts";
import type { WorkerOptions } from "../../src/core/runtime/worker.ts";
import { RetryLaterError } from "../../src/core/errors.ts";
import { testStore } from "../helpers/store.ts";
import { runTestWorker } from "../helpers/worker.ts";

/** A worker run whose every job is of type `def`. */
const runOneType = (db: Db, def: JobDefinition<unknown>, o: Partial<WorkerOptions> = {}) =>
  runTestWorker(db, { loadJobType: async () => def, ...o });

describe("the worker loop", () => {
  it("a stop signal that arrives while finished jobs are being recorded is not lost: the long job is released", async () => {
    const { db } = await testStore();
    const now = Date.now();
    await enqueueJobs(
      db,
      [
        { type: "noop", payload: { sleepMs: 5 }, maxAttempts: 3, priority: 1 },
        { type: "noop", payload: { sleepMs: 50_000 }, maxAttempts: 3 },
      ],
      now,
    );
    const stop = new AbortController();
    const summary = await runTestWorker(db, {
      concurrency: 2,
      graceMs: 100,
      stop: stop.signal,
      // Called while the worker records the short job's end: the signal comes in the middle of that.
      onJobEnd: () => stop.abort(),
    });
    expect(summary).toMatchObject({ claimed: 2, completed: 1, released: 1, stoppedBy: "signal" });
    expect(await db.selectFrom("job").select(["id", "state", "attempts"]).orderBy("id").execute()).toEqual([
      { id: 1, state: "completed", attempts: 1 },
      { id: 2, state: "pending", attempts: 0 },
    ]);
  });

  it("a job whose handler hangs past its timeout counts as timed out when the worker stops, not as released", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "hangs", payload: {}, maxAttempts: 2 }], Date.now());
    const stop = new AbortController();
    const hangs: JobDefinition<unknown> = {
      type: "hangs",
      summary: "ignores its timeout",
      payload: z.object({}),
      timeoutMs: 20,
      run: ({ signal }) => {
        signal.addEventListener("abort", () => stop.abort()); // the operator gives up on it
        return new Promise(() => undefined);
      },
    };
    const summary = await runOneType(db, hangs, { stop: stop.signal });
    expect(summary).toMatchObject({ claimed: 1, retried: 1, released: 0, stoppedBy: "signal" });
    const { job, attempts } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "pending", attempts: 1, last_error: "timed out after 20ms" });
    expect(attempts.map((a) => a.outcome)).toEqual(["timed_out"]);
  });
  it("a handler that first reads its signal after its timeout finds it aborted, with the timeout as the reason", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "late", payload: {}, maxAttempts: 1 }], Date.now());
    const seen: unknown[] = [];
    const late: JobDefinition<unknown> = {
      type: "late",
      summary: "looks at its signal only after its timeout",
      payload: z.object({}),
      timeoutMs: 10,
      run: async (ctx) => {
        await new Promise((r) => setTimeout(r, 40));
        seen.push(ctx.signal.aborted, ctx.signal.reason);
        ctx.signal.throwIfAborted();
      },
    };
    const summary = await runOneType(db, late);
    expect(seen).toEqual([true, "timeout"]);
    expect(summary).toMatchObject({ claimed: 1, died: 1 });
    expect((await getJob(db, 1)).attempts.map((a) => [a.outcome, a.error])).toEqual([["timed_out", "timed out after 10ms"]]);
  });

  it("a handler may take its context apart: progress, metrics and signal work detached from it", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "apart", payload: {}, maxAttempts: 1 }], Date.now());
    const apart: JobDefinition<unknown> = {
      type: "apart",
      summary: "uses its context's parts on their own",
      payload: z.object({}),
      run: async ({ progress, addMetrics, signal, job }) => {
        progress({ done: 1, total: 2 });
        addMetrics({ pages: 2 });
        addMetrics({ pages: 3 });
        return { result: { aborted: signal.aborted, id: job.id }, metrics: { pages: 1 } };
      },
    };
    expect(await runOneType(db, apart)).toMatchObject({ claimed: 1, completed: 1 });
    const { job, attempts } = await getJob(db, 1);
    expect(JSON.parse(job.result as string)).toEqual({ aborted: false, id: 1 });
    expect(JSON.parse(job.progress as string)).toEqual({ done: 1, total: 2 });
    expect(JSON.parse(attempts[0]?.metrics as string)).toEqual({ pages: 6 });
  });
});

describe("a handler that never settles", () => {
  /** One `process` run over the queue with the grace setting at 50 ms. */
  const drain = (db: Db, def: JobDefinition<unknown>, leaseMs = 30_000) =>
    runOneType(db, def, { leaseMs, config: resolveConfig({ grace: "50ms" }, {}, {}) });

  it("ends as timed out the grace setting after its timeout, without a stop signal: the run goes on and drains", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      [
        { type: "hangs", payload: {}, maxAttempts: 1 },
        { type: "hangs", payload: { quick: true }, maxAttempts: 1 },
      ],
      Date.now(),
    );
    const hangs: JobDefinition<{ quick?: boolean | undefined }> = {
      type: "hangs",
      summary: "ignores its signal",
      payload: z.object({ quick: z.boolean().optional() }),
      timeoutMs: 20,
      run: ({ payload }) => (payload.quick ? Promise.resolve({ result: "done" }) : new Promise(() => undefined)),
    };
    const summary = await drain(db, hangs as JobDefinition<unknown>);
    expect(summary).toMatchObject({ claimed: 2, completed: 1, died: 1, stoppedBy: "drained" });
    const { job, attempts } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "dead", attempts: 1, last_error: "timed out after 20ms", lease_owner: null });
    expect(attempts.map((a) => a.outcome)).toEqual(["timed_out"]);
    expect((await getJob(db, 2)).job.state).toBe("completed");
  });

  it("ends as cancelled the grace setting after the cancel reached it: the run drains", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "hangs", payload: {}, maxAttempts: 3 }], Date.now());
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const hangs: JobDefinition<unknown> = {
      type: "hangs",
      summary: "ignores its signal",
      payload: z.object({}),
      run: () => {
        started();
        return new Promise(() => undefined);
      },
    };
    const cancelled = running.then(() => cancelJobs(db, [1], Date.now(), "test"));
    const summary = await drain(db, hangs, 300); // the lease renewed, and cancel requests read, every 100 ms
    await cancelled;
    expect(summary).toMatchObject({ claimed: 1, cancelled: 1, stoppedBy: "drained" });
    const { job, attempts } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "cancelled", lease_owner: null });
    expect(attempts).toHaveLength(1);
  });
});

describe("snoozes have a ceiling", () => {
  const snoozer = (delayMs: number, retry: NonNullable<JobDefinition<unknown>["retry"]> = {}): JobDefinition<unknown> => ({
    type: "always429",
    summary: "always rate limited",
    payload: z.object({}),
    retry,
    run: async () => {
      throw new RetryLaterError("HTTP 429 Too Many Requests", delayMs);
    },
  });
  async function runUntilSettled(def: JobDefinition<unknown>, stepMs: number) {
    const { db } = await testStore();
    let t = Date.parse("2026-12-10T04:00:00Z");
    await enqueueJobs(db, [{ type: def.type, payload: {}, maxAttempts: 3 }], t);
    for (let i = 0; i < 200; i++) {
      await runOneType(db, def, { clock: () => t, maxJobs: 1 });
      const { job } = await getJob(db, 1);
      if (job.state !== "pending") break;
      t += stepMs;
    }
    const notices = await db.selectFrom("notification").select(["kind", "subject", "body"]).execute();
    return { ...(await getJob(db, 1)), notices };
  }

  it("a job that is always told to wait dies after the type's snooze count, and the dead-job notice goes out", async () => {
    const { job, attempts, notices } = await runUntilSettled(snoozer(60_000, { maxSnoozes: 5 }), 60_000);
    expect(job.state).toBe("dead");
    expect(job.last_error).toMatch(/^HTTP 429 Too Many Requests \(gave up after 5 snoozes \(at most 5\)\)$/);
    expect(attempts.map((a) => a.outcome)).toEqual([...Array(5).fill("snoozed"), "failed"]);
    expect(notices).toEqual([expect.objectContaining({ kind: "job.dead", body: job.last_error })]);
  });

  it("by default, a job is not snoozed past 24 hours after its first attempt", async () => {
    const { job, attempts, notices } = await runUntilSettled(snoozer(4 * 3_600_000), 4 * 3_600_000);
    expect(job.state).toBe("dead");
    expect(job.last_error).toMatch(/more than 1d after its first attempt \(6 snoozes so far\)/);
    expect(attempts).toHaveLength(7); // snoozed at 0, 4, …, 20 and 24 h; at 24 h a 4 h wait is past the ceiling
    expect(notices).toHaveLength(1);
  });
});

describe("what follows a job's end", () => {
  it("a failure recorded after a cancel was requested cancels the job, and the end hook hears of it", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "cancelled-then-fails", payload: {}, maxAttempts: 3 }], Date.now());
    await enqueueJobs(db, [{ type: "noop", payload: {}, maxAttempts: 3, dependsOn: 1 }], Date.now());
    const def: JobDefinition<unknown> = {
      type: "cancelled-then-fails",
      summary: "fails just after a cancel is requested, before its worker sees the request",
      payload: z.object({}),
      run: async (ctx) => {
        await cancelJobs(ctx.db, [ctx.job.id], ctx.now(), "anna");
        throw new Error("boom");
      },
    };
    const ended: unknown[] = [];
    const summary = await runOneType(db, def, { onEnded: async (_trx, e) => void ended.push(e) });
    expect(summary).toMatchObject({ claimed: 1, retried: 1 });
    expect(await db.selectFrom("job").select(["id", "state"]).orderBy("id").execute()).toEqual([
      { id: 1, state: "cancelled" },
      { id: 2, state: "cancelled" },
    ]);
    expect(ended).toEqual([{ dead: [], cancelled: [1] }]);
  });
});
