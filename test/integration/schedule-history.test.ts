import { describe, expect, it } from "vitest";
import { loadJobType } from "../../src/job-types.ts";
import { catchUps, pruneFires } from "../../src/core/schedule/history.ts";
import { addSchedule } from "../../src/core/schedule/store.ts";
import { tickSchedules } from "../../src/core/schedule/tick.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { testStore } from "../helpers/store.ts";

const at = (iso: string) => Date.parse(iso);
const D = 86_400_000;

describe("schedule history", () => {
  it("groups each catch-up tick and prunes fire records past the retention, keeping the counters", async () => {
    const { db } = await testStore();
    await addSchedule(
      db,
      {
        name: "half-hourly",
        type: "noop",
        payload: {},
        owner: "anna",
        active: true,
        tz: "UTC",
        cron: "*/30 * * * *",
        atTime: null,
        atDays: null,
        misfire: "coalesce",
        graceMs: 3_600_000,
        cap: 10,
        priority: 0,
        timeoutMs: null,
        then: null,
      },
      "anna",
      at("2026-03-01T00:00:00Z"),
    );
    const tick = (iso: string, retentionMs?: number) => tickSchedules(db, { now: at(iso), dryRun: false, loadJobType, retentionMs });
    await tick("2026-03-01T00:31:00Z");
    await tick("2026-03-01T03:01:00Z"); // 01:00 .. 02:30 missed, 03:00 runs
    await tick("2026-03-01T03:31:00Z");
    const c = await catchUps(db, { limit: 10 });
    expect(c).toEqual([
      {
        scheduleId: 1,
        recordedAt: "2026-03-01T03:01:00.000Z",
        policy: "coalesce",
        missed: 4,
        firstMissedAt: "2026-03-01T01:00:00.000Z",
        lastMissedAt: "2026-03-01T02:30:00.000Z",
        ran: 1,
        failed: 0,
        error: null,
      },
    ]);
    expect(await catchUps(db, { limit: 10, since: "2026-03-01T03:02:00.000Z" })).toEqual([]);

    expect(await pruneFires(db, "2026-03-01T03:30:00.000Z", 3)).toBe(3); // of 6 recorded before 03:30
    expect(await pruneFires(db, "2026-03-01T03:30:00.000Z")).toBe(3);
    await tick("2026-03-20T00:01:00Z", 10 * D);
    const left = await db.selectFrom("schedule_fire").select("recorded_at").execute();
    expect(left.every((f) => f.recorded_at === "2026-03-20T00:01:00.000Z")).toBe(true);
    const s = await db.selectFrom("schedule").select(["total_runs", "missed_runs"]).executeTakeFirstOrThrow();
    expect(s.total_runs).toBe(4);
    expect(s.missed_runs).toBe(4 + 904); // 03-01 04:00 .. 03-20 00:00 is 905 fires: one ran
  });

  it("keeps the latest 11 missed fires as rows and merges the older ones, the policy's misses and a bad payload's alike", async () => {
    const { db } = await testStore();
    const [t] = await dayOfBadHourlyRuns(db, 3);
    // 01:00 .. 00:00 next day: 24 fires; the cap misses 21, the 3 it would run cannot be enqueued.
    expect(t?.missed).toMatchObject({ count: 24, firstFireAt: "2026-03-01T01:00:00.000Z", lastFireAt: "2026-03-02T00:00:00.000Z" });
    expect(t?.missed?.reasons).toEqual(["over the catch-up cap of 3", expect.stringMatching(/^cannot enqueue noop: invalid payload/)]);
    const rows = await db
      .selectFrom("schedule_fire")
      .select(["fire_at", "fire_count", "last_fire_at", "reason"])
      .orderBy("fire_at")
      .execute();
    expect(rows).toHaveLength(12);
    expect(rows[0]).toEqual({
      fire_at: "2026-03-01T01:00:00.000Z",
      fire_count: 13,
      last_fire_at: "2026-03-01T13:00:00.000Z",
      reason: "over the catch-up cap of 3",
    });
    expect(rows.slice(1).map((r) => r.fire_count)).toEqual(Array(11).fill(1));
    expect(rows.slice(1, 9).every((r) => r.reason === "over the catch-up cap of 3")).toBe(true);
    expect(rows.slice(9).map((r) => [r.fire_at, r.reason?.slice(0, 20)])).toEqual([
      ["2026-03-01T22:00:00.000Z", "cannot enqueue noop:"],
      ["2026-03-01T23:00:00.000Z", "cannot enqueue noop:"],
      ["2026-03-02T00:00:00.000Z", "cannot enqueue noop:"],
    ]);
    expect(await db.selectFrom("schedule").select(["missed_runs", "total_runs"]).executeTakeFirstOrThrow()).toEqual({
      missed_runs: 24,
      total_runs: 0,
    });
    expect(await catchUps(db, { limit: 10 })).toMatchObject([
      { missed: 24, failed: 3, error: expect.stringMatching(/^cannot enqueue noop/) },
    ]);
  });

  it("merges older missed fires by reason, so a catch-up counts the ones that could not be enqueued", async () => {
    const { db } = await testStore();
    await dayOfBadHourlyRuns(db, 20); // 24 fires: the cap misses 4, the 20 it would run cannot be enqueued
    const rows = await db.selectFrom("schedule_fire").select(["fire_count", "reason"]).orderBy("fire_at").execute();
    expect(rows.slice(0, 2)).toEqual([
      { fire_count: 4, reason: "over the catch-up cap of 20" },
      { fire_count: 9, reason: expect.stringMatching(/^cannot enqueue noop/) },
    ]);
    expect(rows).toHaveLength(13);
    expect(await catchUps(db, { limit: 10 })).toMatchObject([{ missed: 24, failed: 20 }]);
  });
});

/** An hourly schedule (policy all, this cap) whose payload stopped validating, ticked after a day off. */
async function dayOfBadHourlyRuns(db: Db, cap: number) {
  await addSchedule(
    db,
    {
      name: "hourly",
      type: "noop",
      payload: {},
      owner: "anna",
      active: true,
      tz: "UTC",
      cron: "0 * * * *",
      atTime: null,
      atDays: null,
      misfire: "all",
      graceMs: 3_600_000,
      cap,
      priority: 0,
      timeoutMs: null,
      then: null,
    },
    "anna",
    at("2026-03-01T00:00:00Z"),
  );
  await db.updateTable("schedule").set({ payload: '{"sleepMs":"soon"}' }).execute();
  return tickSchedules(db, { now: at("2026-03-02T00:30:00Z"), dryRun: false, loadJobType });
}
