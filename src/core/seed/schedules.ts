import type { MisfirePolicy } from "../schedule/schema.ts";
import type { Db } from "../db/handle.ts";
import { timingOf } from "../schedule/definition.ts";
import { nextFire } from "../schedule/fire-times.ts";
import { newScheduleId } from "../schedule/store.ts";
import { toInstant } from "../time.ts";
import { leadScheduleDefinitions } from "./leads.ts";

interface SeedSchedule {
  name: string;
  type: string;
  payload: object;
  cron: string;
  at: [string, string] | null;
  misfire: MisfirePolicy;
  cap: number;
  active: boolean;
  /** Index into the seeded users: 0 is the admin. */
  owner: number;
}

/** The seed spec's lead schedules (nightly search and analysis, weekend re-analysis, weekly deep analysis). */
const LEAD_SCHEDULES: SeedSchedule[] = leadScheduleDefinitions().map((d, i) => ({
  name: d.name,
  type: d.type,
  payload: d.payload,
  cron: d.cron,
  at: [d.at, Array.isArray(d.days) ? d.days.join(",") : d.days],
  misfire: "coalesce",
  cap: 10,
  active: true,
  owner: i === 2 ? 0 : 1,
}));

/** Demo schedules, owned by the seeded users (the admin and managers). */
const SCHEDULES: readonly SeedSchedule[] = [
  {
    name: "install-check",
    type: "noop",
    payload: {},
    cron: "*/15 * * * *",
    at: null,
    misfire: "coalesce",
    cap: 10,
    active: true,
    owner: 0,
  },
  {
    name: "weekday-morning-check",
    type: "noop",
    payload: { sleepMs: 200 },
    cron: "30 7 * * 1-5",
    at: ["07:30", "weekdays"],
    misfire: "coalesce",
    cap: 10,
    active: true,
    owner: 1,
  },
  { name: "month-end-check", type: "noop", payload: {}, cron: "0 18 L * *", at: null, misfire: "all", cap: 3, active: true, owner: 2 },
  {
    name: "weekend-smoke-test",
    type: "noop",
    payload: { sleepMs: 50 },
    cron: "0 10 * * 0,6",
    at: ["10:00", "weekends"],
    misfire: "skip",
    cap: 10,
    active: false,
    owner: 1,
  },
  ...LEAD_SCHEDULES,
  // Paused: the seeded companies' web addresses are made up and may belong to real sites.
  {
    name: "nightly-checkout-scraping",
    type: "web.batch",
    cron: "0 2 * * *",
    at: ["02:00", "daily"],
    misfire: "skip",
    cap: 1,
    active: false,
    owner: 1,
    payload: { analysis: "checkout_scraping", select: { notAnalysedSince: "30d", limit: 100 } },
  },
  // The demo brand: asking AI assistants needs their keys (paused); scoring is offline (lexicon).
  {
    name: "daily-brand-collection",
    type: "brand.collect_and_score",
    cron: "0 6 * * *",
    at: ["06:00", "daily"],
    misfire: "coalesce",
    cap: 1,
    active: false,
    owner: 0,
    payload: { brand: "Budbee", collectors: ["openai", "gemini", "claude"], parallel: 3, positionLimit: 1000, sentimentLimit: 1000 },
  },
  {
    name: "brand-scoring",
    type: "brand.score",
    payload: { brand: "Budbee", positionLimit: 1000 },
    cron: "30 */6 * * *",
    at: null,
    misfire: "coalesce",
    cap: 1,
    active: true,
    owner: 0,
  },
];

/** Names of the schedules the seed adds. */
export const SEED_SCHEDULE_NAMES: readonly string[] = SCHEDULES.map((s) => s.name);

/**
 * Adds the demo schedules (in the seed's transaction). Re-seeding updates their definitions
 * and keeps their counters and history; new ones start counting at `now`.
 */
export async function seedSchedules(trx: Db, userIds: readonly number[], now: number): Promise<number> {
  if (userIds.length === 0) return 0;
  const users = await trx
    .selectFrom("app_user")
    .select(["id", "username"])
    .where("id", "in", [...userIds])
    .execute();
  const username = (i: number) => users.find((u) => u.id === userIds[i % userIds.length])?.username ?? "admin";
  const stamp = toInstant(now);
  for (const s of SCHEDULES) {
    const tz = "Europe/Stockholm";
    const next = nextFire(timingOf({ cron: s.cron, tz }), now);
    const definition = {
      type: s.type,
      payload: JSON.stringify(s.payload),
      owner: username(s.owner),
      active: s.active ? 1 : 0,
      tz,
      cron: s.cron,
      at_time: s.at?.[0] ?? null,
      at_days: s.at?.[1] ?? null,
      misfire: s.misfire,
      grace_ms: 3_600_000,
      catch_up_cap: s.cap,
      priority: 0,
    } as const;
    const row = await trx
      .insertInto("schedule")
      .values({
        id: await newScheduleId(trx),
        name: s.name,
        ...definition,
        created_at: stamp,
        updated_at: stamp,
        checked_until: stamp,
        next_fire_at: next === null ? null : toInstant(next),
      })
      .onConflict((oc) => oc.column("name").doUpdateSet(definition))
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    if (row.created_at === stamp) {
      await trx
        .insertInto("schedule_audit")
        .values({
          schedule_id: row.id,
          schedule_name: s.name,
          action: "add",
          actor: "seed",
          at: stamp,
          changes: JSON.stringify({ name: s.name, ...definition, payload: s.payload }),
        })
        .execute();
    }
  }
  return SCHEDULES.length;
}
