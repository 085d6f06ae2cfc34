import { describe, expect, it } from "vitest";
import { claimJobs } from "../../src/core/queue/claim.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { rescueLostJobs } from "../../src/core/queue/rescue.ts";
import { RunningJob } from "../../src/core/runtime/execute.ts";
import { LeaseKeeper } from "../../src/core/runtime/lease-keeper.ts";
import { silentLogger } from "../../src/core/types.ts";
import { testStore } from "../helpers/store.ts";

const T0 = Date.parse("2026-11-22T08:00:00Z");

describe("lease keeper", () => {
  it("keeps the lease of a handler told to stop until it returns, so no other worker runs the job meanwhile", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      [1, 2, 3].map(() => ({ type: "noop", payload: {}, maxAttempts: 3 })),
      T0,
    );
    const runs = (await claimJobs(db, { owner: "h:1", limit: 3, now: T0, leaseMs: 30_000 })).map((j) => new RunningJob(j));
    runs[0]!.abort("timeout"); // its handler has not returned yet
    runs[1]!.abort("cancelled");
    let now = T0;
    const keeper = new LeaseKeeper(new Map(runs.map((r) => [r.job.id, r])), { db, leaseMs: 30_000, clock: () => now, log: silentLogger });
    now = T0 + 20_000;
    await keeper.tick();
    const leases = await db.selectFrom("job").select(["id", "lease_expires_at"]).orderBy("id").execute();
    expect(leases.map((l) => l.lease_expires_at)).toEqual(Array(3).fill("2026-11-22T08:00:50.000Z"));
    expect(await rescueLostJobs(db, { now: T0 + 40_000, ownerGone: () => false })).toEqual([]);
  });

  it("stops renewing a lease another worker took", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [{ type: "noop", payload: {}, maxAttempts: 3 }], T0);
    const [job] = await claimJobs(db, { owner: "h:1", limit: 1, now: T0, leaseMs: 30_000 });
    const run = new RunningJob(job!);
    let now = T0 + 40_000;
    await rescueLostJobs(db, { now, ownerGone: () => false });
    await claimJobs(db, { owner: "h:2", limit: 1, now, leaseMs: 30_000 });
    const keeper = new LeaseKeeper(new Map([[run.job.id, run]]), { db, leaseMs: 30_000, clock: () => now, log: silentLogger });
    now += 20_000;
    await keeper.tick();
    expect(run.abortReason).toBe("lease-lost");
    expect(await db.selectFrom("job").select(["lease_owner", "lease_expires_at"]).executeTakeFirst()).toEqual({
      lease_owner: "h:2",
      lease_expires_at: "2026-11-22T08:01:10.000Z",
    });
  });
});
