import { jobEndHook } from "../../src/commands/shared/job-ends.ts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveConfig } from "../../src/core/config.ts";
import { loadJobType } from "../../src/job-types.ts";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
import { getJob } from "../../src/core/queue/inspect.ts";
import { runJobNow } from "../../src/core/runtime/run-now.ts";
import { silentLogger } from "../../src/core/types.ts";
import { testStore } from "../helpers/store.ts";

/** A handler that does not stop when told to (a blocking library call, say) until `release` is called. */
function stubborn(): { def: JobDefinition<unknown>; started: Promise<void>; release: () => void } {
  let release = () => undefined as void;
  let started = () => undefined as void;
  const gate = new Promise<void>((r) => (release = r));
  const running = new Promise<void>((r) => (started = r));
  const def: JobDefinition<unknown> = {
    type: "stubborn",
    summary: "ignores its abort signal",
    payload: z.object({}),
    async run() {
      started();
      await gate;
      return { result: "finished anyway" };
    },
  };
  return { def, started: running, release };
}

describe("running a job type now (the thin fronts)", () => {
  it("a second signal records the job as cancelled at once, without waiting for a handler that does not stop", async () => {
    const { db } = await testStore();
    const { def, started, release } = stubborn();
    const stop = new AbortController();
    const kill = new AbortController();
    const result = runJobNow({
      db,
      clock: Date.now,
      random: Math.random,
      log: silentLogger,
      config: resolveConfig({}, {}, {}),
      onEnded: jobEndHook(resolveConfig({}, {}, {})),
      env: {},
      loadJobType: async () => def,
      owner: "h:1",
      type: "stubborn",
      payload: {},
      leaseMs: 30_000,
      stop: stop.signal,
      kill: kill.signal,
    });
    await started;
    stop.abort();
    kill.abort();
    expect((await result).end).toEqual({ kind: "cancelled", reason: "stopped at once by a second signal" });
    const { job, attempts } = await getJob(db, 1);
    expect(job).toMatchObject({ state: "cancelled", lease_owner: null });
    expect(attempts.map((a) => a.outcome)).toEqual(["cancelled"]);
    release(); // the handler returns late: nothing more is recorded
  });

  it("a stop that came before the job started cancels it at once", async () => {
    const { db } = await testStore();
    const stop = new AbortController();
    stop.abort();
    const r = await runJobNow({
      db,
      clock: Date.now,
      random: Math.random,
      log: silentLogger,
      config: resolveConfig({}, {}, {}),
      onEnded: jobEndHook(resolveConfig({}, {}, {})),
      env: {},
      loadJobType,
      owner: "h:1",
      type: "noop",
      payload: { sleepMs: 50_000 },
      leaseMs: 30_000,
      stop: stop.signal,
    });
    expect(r.end).toEqual({ kind: "cancelled", reason: "cancelled on request while running" });
    expect((await getJob(db, 1)).job.state).toBe("cancelled");
  });
});
