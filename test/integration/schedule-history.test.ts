import { describe, expect, it } from "vitest";
import { loadJobType } from "../../src/core/jobs/registry.ts";
import { catchUps, pruneFires } from "../../src/core/schedule/history.ts";
import { addSchedule } from "../../src/core/schedule/store.ts";
import { tickSchedules } from "../../src/core/schedule/tick.ts";
import { testStore } from "../helpers/store.ts";

const at = (iso: string) => Date.parse(iso);
const D = 86_400_000;

describe("schedule history", () => {
  it("groups each catch-up tick and prunes fire records past the retention, keeping the counters", async () => {
    const { db } = await testStore();
    await addSchedule(db, {
      name: "half-hourly", type: "noop", payload: {}, owner: "anna", active: true, tz: "UTC", cron: "*/30 * * * *",
      atTime: null, atDays: null, misfire: "coalesce", graceMs: 3_600_000, cap: 10, priority: 0,
    }, "anna", at("2026-03-01T00:00:00Z"));
    const tick = (iso: string, retentionMs?: number) => tickSchedules(db, { now: at(iso), dryRun: false, loadJobType, retentionMs });
    await tick("2026-03-01T00:31:00Z");
    await tick("2026-03-01T03:01:00Z"); // 01:00 .. 02:30 missed, 03:00 runs
    await tick("2026-03-01T03:31:00Z");
    const c = await catchUps(db, { limit: 10 });
    expect(c).toEqual([{ scheduleId: 1, recordedAt: "2026-03-01T03:01:00.000Z", policy: "coalesce", missed: 4, firstMissedAt: "2026-03-01T01:00:00.000Z", lastMissedAt: "2026-03-01T02:30:00.000Z", ran: 1 }]);
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
});
