import { describe, expect, it } from "vitest";
import { cancelJobs, retryJobs } from "../../src/core/queue/admin.ts";
import { claimJobs } from "../../src/core/queue/claim.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { finishAttempts, finishedAttempt, type AttemptEnd } from "../../src/core/queue/finish.ts";
import { rescueLostJobs } from "../../src/core/queue/rescue.ts";
import { testStore } from "../helpers/store.ts";

const T0 = Date.parse("2026-11-22T08:00:00Z");
const job = (extra: object = {}) => ({ type: "noop", payload: {}, maxAttempts: 1, ...extra });
/** Job types by name, as `jobs retry` gets them: these tests retry jobs of types it does not know (the default policy). */
const noType = async () => undefined;

async function runOne(db: Parameters<typeof claimJobs>[0], end: AttemptEnd, now = T0) {
  const [j] = await claimJobs(db, { owner: "h:1", limit: 1, now, leaseMs: 30_000 });
  if (!j) throw new Error("nothing to claim");
  await finishAttempts(db, [finishedAttempt(j, { durationMs: 1, end })], now);
  return j.id;
}

const states = async (db: Parameters<typeof claimJobs>[0]) =>
  await db.selectFrom("job").select(["id", "state", "blocked", "last_error"]).orderBy("id").execute();

describe("job dependencies", () => {
  it("a child waits for its parent and becomes due when the parent completes", async () => {
    const { db } = await testStore();
    const [parent] = await enqueueJobs(db, [job({ priority: -1 })], T0);
    await enqueueJobs(db, [job({ dependsOn: parent!.id, priority: 10 })], T0);
    // The child has the higher priority but is not claimable while its parent has not completed.
    expect(await runOne(db, { kind: "completed" })).toBe(parent!.id);
    expect(await states(db)).toMatchObject([
      { id: 1, state: "completed" },
      { id: 2, state: "pending", blocked: 0 },
    ]);
    expect(await runOne(db, { kind: "completed" }, T0 + 1000)).toBe(2);
  });

  it("a parent that dies cancels its children and theirs, with the reason", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [job()], T0);
    await enqueueJobs(db, [job({ dependsOn: 1 })], T0);
    await enqueueJobs(db, [job({ dependsOn: 2 })], T0);
    await runOne(db, { kind: "dead", error: "boom" });
    expect(await states(db)).toEqual([
      { id: 1, state: "dead", blocked: 0, last_error: "boom" },
      { id: 2, state: "cancelled", blocked: 0, last_error: "cancelled: the job it depends on (1) died" },
      { id: 3, state: "cancelled", blocked: 0, last_error: "cancelled: the job it depends on (2) was cancelled" },
    ]);
  });

  it("cancelling a pending parent cancels the child; retried together, the child waits for the parent again", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [job(), job()], T0);
    await enqueueJobs(db, [job({ dependsOn: 1 })], T0);
    await cancelJobs(db, [1], T0, "anna");
    expect((await states(db))[2]).toMatchObject({ state: "cancelled", last_error: "cancelled: the job it depends on (1) was cancelled" });
    // Alone, the child would wait for ever on a parent that can never complete: refused, nothing changed.
    await expect(retryJobs(db, [3], T0, noType)).rejects.toThrow(/job 3 depends on job 1, which is cancelled: it would never run/);
    expect((await states(db))[2]).toMatchObject({ state: "cancelled" });
    expect(await retryJobs(db, [3, 1], T0, noType)).toEqual({ retried: [3, 1], skipped: [] });
    expect(await states(db)).toMatchObject([{ state: "pending", blocked: 0 }, { state: "pending" }, { state: "pending", blocked: 1 }]);
    expect(await runOne(db, { kind: "completed" })).toBe(1);
    expect((await states(db))[2]).toMatchObject({ state: "pending", blocked: 0 });
  });

  it("a crash between parent and child loses nothing: the rescued parent reruns, then the child runs", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [job({ maxAttempts: 2 })], T0);
    await enqueueJobs(db, [job({ dependsOn: 1 })], T0);
    await claimJobs(db, { owner: "host:999", limit: 5, now: T0, leaseMs: 30_000 }); // claims only the parent
    expect(await rescueLostJobs(db, { now: T0 + 1, ownerGone: () => true })).toMatchObject([{ id: 1, state: "pending" }]);
    expect(await states(db)).toMatchObject([{ state: "pending" }, { state: "pending", blocked: 1 }]);
    expect(await runOne(db, { kind: "completed" }, T0 + 2)).toBe(1);
    expect(await runOne(db, { kind: "completed" }, T0 + 3)).toBe(2);
  });

  it("refuses a dependency on a job that is gone, dead or cancelled, and writes nothing", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [job()], T0);
    await runOne(db, { kind: "dead", error: "x" });
    await expect(enqueueJobs(db, [job(), job({ dependsOn: 1 })], T0)).rejects.toThrow(
      /job 1 is dead: a job depending on it would never run/,
    );
    await expect(enqueueJobs(db, [job({ dependsOn: 42 })], T0)).rejects.toThrow(/no job with id 42/);
    expect((await states(db)).length).toBe(1);
  });

  it("a child of an already completed parent is due at once", async () => {
    const { db } = await testStore();
    await enqueueJobs(db, [job()], T0);
    await runOne(db, { kind: "completed" });
    await enqueueJobs(db, [job({ dependsOn: 1 })], T0);
    expect((await states(db))[1]).toMatchObject({ state: "pending", blocked: 0 });
  });
});
