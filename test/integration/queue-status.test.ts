import { describe, expect, it } from "vitest";
import type { Db } from "../../src/core/db/handle.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { claimJobs } from "../../src/core/queue/claim.ts";
import { type EnqueueRequest, enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { finishAttempts, finishedAttempt } from "../../src/core/queue/finish.ts";
import { nextDueAt, queueStatus } from "../../src/core/queue/inspect.ts";
import { queueStatusRaw } from "../../src/core/queue/queue-status.sqlite.ts";
import { jobsPerHour } from "../../src/core/queue/trends.ts";
import { testStore } from "../helpers/store.ts";

// The pending and dead jobs of `status` and the report's hours. The pending jobs: due, scheduled for later and waiting on another job, the oldest
// due and the next later one, whatever the priorities (on SQLite, a few are walked one by one
// and many are scanned: pending-summary.sqlite.ts).

const NOW = Date.parse("2026-12-05T12:00:00.000Z");
const minutes = (m: number) => NOW + m * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Jobs over `priorities` distinct priorities, due and later, a few running; returns what status must say. */
async function queueOver(db: Db, priorities: number) {
  const requests: EnqueueRequest[] = [];
  for (let i = 0; i < 400; i++) {
    // Later jobs at every priority; the oldest due job is at a middle priority.
    const runAt = i === 200 ? minutes(-500) : minutes(((i * 37) % 120) - 90);
    requests.push({ type: "noop", payload: {}, maxAttempts: 3, priority: (i % priorities) * 5 - 40, runAt });
  }
  await enqueueJobs(db, requests, minutes(-600));
  // Running jobs are not pending; three jobs wait on one of them.
  const running = await claimJobs(db, { owner: "h:1", limit: 4, now: NOW, leaseMs: 60_000 });
  const [parent] = running;
  await enqueueJobs(
    db,
    [1, 2, 3].map(() => ({ type: "noop", payload: {}, maxAttempts: 3, dependsOn: parent?.id ?? 0 })),
    NOW,
  );

  const pending = requests.filter((_, i) => !running.some((j) => j.id === i + 1)).map((r) => r.runAt as number);
  const later = pending.filter((at) => at > NOW);
  return {
    due: pending.length - later.length,
    scheduled: later.length,
    waiting: 3,
    oldestDue: iso(Math.min(...pending.filter((at) => at <= NOW))),
    nextScheduledAt: iso(Math.min(...later)),
  };
}

async function expectStatus(store: Store, priorities: number): Promise<void> {
  const want = await queueOver(store.db, priorities);
  const q = await queueStatus(store.db, NOW);
  expect({
    due: q.due,
    scheduled: q.scheduled,
    waiting: q.waiting,
    oldestDue: q.oldestDue?.runAt,
    nextScheduledAt: q.nextScheduledAt,
  }).toEqual(want);
  expect(q.counts.pending).toBe(want.due + want.scheduled + want.waiting);
  if (store.dialect === "sqlite") expect(queueStatusRaw(store.sqlite, NOW)).toEqual(q);
  expect(await nextDueAt(store.db, NOW)).toBe(Date.parse(want.oldestDue));
}

describe("status: pending jobs", () => {
  it("counts due, later and waiting jobs and finds the oldest due and the next later one over a few priorities", async () => {
    await expectStatus(await testStore(), 3);
  });

  it("says the same over more priorities than are walked one by one", async () => {
    await expectStatus(await testStore(), 100);
  });

  it("with nothing pending: no due job, no next one", async () => {
    const { db } = await testStore();
    const q = await queueStatus(db, NOW);
    expect({ due: q.due, scheduled: q.scheduled, oldestDue: q.oldestDue, nextScheduledAt: q.nextScheduledAt }).toEqual({
      due: 0,
      scheduled: 0,
      oldestDue: null,
      nextScheduledAt: null,
    });
    expect(await nextDueAt(db, NOW)).toBeUndefined();
  });
});

describe("status and trends: dead jobs", () => {
  it("lists the newest dead jobs first (the higher id first at the same instant) and counts them per hour", async () => {
    const { db } = await testStore();
    await enqueueJobs(
      db,
      Array.from({ length: 14 }, () => ({ type: "noop", payload: {}, maxAttempts: 1 })),
      minutes(-300),
    );
    const jobs = await claimJobs(db, { owner: "h:1", limit: 14, now: minutes(-300), leaseMs: 3_600_000 });
    // Jobs 1-12 die two at a time, ten minutes apart (the last two 40 minutes ago); 13 completes.
    for (let pair = 0; pair < 6; pair++) {
      const ends = jobs
        .slice(pair * 2, pair * 2 + 2)
        .map((j) => finishedAttempt(j, { durationMs: 1, end: { kind: "dead" as const, error: `boom ${j.id}` } }));
      await finishAttempts(db, ends, minutes(-90 + pair * 10));
    }
    const [last] = jobs.slice(12);
    await finishAttempts(db, [finishedAttempt(last!, { durationMs: 1, end: { kind: "completed" } })], NOW);

    const q = await queueStatus(db, NOW);
    expect(q.deadJobs.map((d) => d.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(q.deadJobs[0]).toMatchObject({ finishedAt: iso(minutes(-40)), lastError: "boom 12", attempts: 1 });
    const hours = await jobsPerHour(db, { since: minutes(-180), now: NOW });
    expect(hours.map((h) => [h.hour, h.dead, h.completed])).toEqual([
      ["2026-12-05T10:00:00.000Z", 6, 0],
      ["2026-12-05T11:00:00.000Z", 6, 0],
      ["2026-12-05T12:00:00.000Z", 0, 1],
    ]);
  });
});

describe("status: jobs by state and type", () => {
  it("counts every type in every state, whatever the type names and however they sort", async () => {
    const store = await testStore();
    const { db } = store;
    // Names that sort apart by byte and by locale, a prefix of another, and a space.
    const types = ["noop", "a", "a b", "B", "b", "ä", "zz"];
    const states = ["pending", "running", "completed", "dead", "cancelled"] as const;
    const want = new Map<string, Record<string, number>>();
    for (const [t, type] of types.entries()) {
      for (const [s, state] of states.entries()) {
        const n = (t * 3 + s * 5) % 4; // some pairs have none
        if (n === 0) continue;
        const ids = (
          await enqueueJobs(
            db,
            Array.from({ length: n }, () => ({ type, payload: {}, maxAttempts: 3 })),
            NOW,
          )
        ).map((r) => r.id);
        if (state !== "pending") await db.updateTable("job").set({ state }).where("id", "in", ids).execute();
        const row = want.get(type) ?? Object.fromEntries(states.map((st) => [st, 0]));
        row[state] = n;
        want.set(type, row);
      }
    }
    const q = await queueStatus(db, NOW);
    expect(q.byType).toEqual([...want].map(([type, row]) => ({ type, ...row })).sort((x, y) => x.type.localeCompare(y.type)));
    for (const state of states) expect(q.counts[state]).toBe([...want.values()].reduce((sum, row) => sum + (row[state] ?? 0), 0));
    if (store.dialect === "sqlite") expect(queueStatusRaw(store.sqlite, NOW)).toEqual(q);
  });
});
