import { beforeAll, describe, expect, it } from "vitest";
import { JOB_TYPES, loadJobType } from "../../src/job-types.ts";
import { parsePayload } from "../../src/core/jobs/payload.ts";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
import { seedDatabase } from "../../src/core/seed/seed.ts";

const defs = new Map<string, JobDefinition<unknown>>();
beforeAll(async () => {
  for (const t of JOB_TYPES) defs.set(t, await loadJobType(t));
});
const loadJobTypeSync = (t: string) => defs.get(t) as JobDefinition<unknown>;
import { testStore } from "../helpers/store.ts";

const NOW = Date.parse("2026-11-22T08:00:00Z");

describe("seed schedules", () => {
  it("adds demo schedules owned by seeded users; re-seeding keeps them and their history; --reset empties them", async () => {
    const { db } = await testStore();
    const counts = await seedDatabase(db, { seed: 1, companies: 50, users: 4, tracked: 10, reset: false, now: NOW });
    expect(counts.schedules).toBe(10);
    const rows = await db
      .selectFrom("schedule")
      .select(["name", "type", "owner", "active", "cron", "next_fire_at", "checked_until"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => [r.name, r.cron, r.active])).toEqual([
      ["install-check", "*/15 * * * *", 1],
      ["weekday-morning-check", "30 7 * * 1-5", 1],
      ["month-end-check", "0 18 L * *", 1],
      ["weekend-smoke-test", "0 10 * * 0,6", 0],
      ["nightly-lead-search", "0 22 * * 1-5", 1],
      ["weekend-lead-reanalysis", "0 23 * * 6,0", 1],
      ["weekly-deep-analysis", "0 6 * * 1", 1],
      ["nightly-checkout-scraping", "0 2 * * *", 0],
      ["daily-brand-collection", "0 6 * * *", 0],
      ["brand-scoring", "30 */6 * * *", 1],
    ]);
    for (const s of await db.selectFrom("schedule").select(["type", "payload"]).execute()) {
      expect(() => parsePayload(loadJobTypeSync(s.type), JSON.parse(s.payload)), s.type).not.toThrow();
    }
    expect(rows[0]).toMatchObject({ type: "noop", checked_until: "2026-11-22T08:00:00.000Z", next_fire_at: "2026-11-22T08:15:00.000Z" });
    const admin = await db.selectFrom("app_user").select("username").where("role", "=", "admin").executeTakeFirstOrThrow();
    expect(rows[0]?.owner).toBe(admin.username);

    await db
      .insertInto("schedule_fire")
      .values({
        schedule_id: 1,
        kind: "run",
        fire_at: "2026-11-22T08:15:00.000Z",
        fire_count: 1,
        recorded_at: "2026-11-22T08:16:00.000Z",
        late_ms: 60_000,
        policy: "coalesce",
      })
      .execute();
    await seedDatabase(db, { seed: 1, companies: 50, users: 4, tracked: 10, reset: false, now: NOW + 3_600_000 });
    expect(await db.selectFrom("schedule").select("id").execute()).toHaveLength(10);
    expect(await db.selectFrom("schedule_audit").select("id").execute()).toHaveLength(10);
    expect(await db.selectFrom("schedule_fire").select("id").execute()).toHaveLength(1);

    await seedDatabase(db, { seed: 1, companies: 50, users: 4, tracked: 10, reset: true, now: NOW });
    expect(await db.selectFrom("schedule_fire").select("id").execute()).toHaveLength(0);
    expect(await db.selectFrom("schedule").select("id").execute()).toHaveLength(10);
  });
});
