import { describe, expect, it } from "vitest";
import type { Db } from "../../src/core/db/handle.ts";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { loadJobType } from "../../src/job-types.ts";
import { parseRankBands } from "../../src/core/tracking/rank-cadence.ts";
import { enqueueRefreshes } from "../../src/core/tracking/due-refreshes.ts";
import { recordRefreshOutcome, resetRefreshProblem } from "../../src/core/tracking/refresh-state.ts";
import { toInstant } from "../../src/core/time.ts";
import { testStore } from "../helpers/store.ts";

const NOW = Date.parse("2026-11-22T08:00:00Z");
const H = 3_600_000;
const D = 24 * H;
const bands = parseRankBands("81-100:1d,61-80:2d,31-60:3d,11-30:4d,1-10:5d");
const tick = (db: Db, o: { cap?: number; now?: number; dryRun?: boolean } = {}) =>
  enqueueRefreshes(db, { now: o.now ?? NOW, bands, cap: o.cap ?? 1000, dryRun: o.dryRun ?? false, loadJobType });

let serial = 0;
/** Companies with valid organisationsnummer, tracked by users with the given ranks. */
async function company(db: Db, ranks: number[], lastRefreshedAgo?: number): Promise<string> {
  const orgnr = withCheckDigit(`556${String(100000 + serial++).padStart(6, "0")}`);
  const stamp = toInstant(NOW - 30 * D);
  await db
    .insertInto("company")
    .values({
      orgnr,
      name: `Företag ${orgnr} AB`,
      status: "active",
      sni_codes: "[]",
      reklamsparr: 0,
      source: "test",
      created_at: stamp,
      updated_at: stamp,
      legal_form: "AB",
      street: null,
      postcode: null,
      town: null,
      municipality: null,
      description: null,
      website: null,
      revenue_tkr: null,
      employees: null,
      registered_on: null,
      deregistered_on: null,
    })
    .execute();
  for (const [i, rank] of ranks.entries()) {
    const username = `user${i}`;
    await db
      .insertInto("app_user")
      .values({ username, display_name: null, email: null, role: "manager", created_at: stamp })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const user = await db.selectFrom("app_user").select("id").where("username", "=", username).executeTakeFirstOrThrow();
    await db
      .insertInto("company_tracking")
      .values({ user_id: user.id, orgnr, rank, keywords: "[]", created_at: stamp, updated_at: stamp })
      .execute();
  }
  if (lastRefreshedAgo !== undefined) {
    await db
      .insertInto("company_refresh")
      .values({
        orgnr,
        last_refreshed_at: toInstant(NOW - lastRefreshedAgo),
        last_outcome: "ok",
        last_message: null,
        last_success_at: null,
        problem_since: null,
        updated_at: stamp,
      })
      .execute();
  }
  return orgnr;
}

describe("rank cadence", () => {
  it("loads the refresh job type only for a tick that enqueues refreshes", async () => {
    const { db } = await testStore();
    const loaded: string[] = [];
    const recording = (type: string) => {
      loaded.push(type);
      return loadJobType(type);
    };
    await company(db, [50], 1 * H);
    expect(await enqueueRefreshes(db, { now: NOW, bands, cap: 10, dryRun: false, loadJobType: recording })).toMatchObject({
      due: 0,
      enqueued: [],
    });
    expect(await enqueueRefreshes(db, { now: NOW + 3 * D, bands, cap: 10, dryRun: true, loadJobType: recording })).toMatchObject({
      due: 1,
    });
    expect(loaded).toEqual([]);
    expect((await enqueueRefreshes(db, { now: NOW + 3 * D, bands, cap: 10, dryRun: false, loadJobType: recording })).enqueued).toHaveLength(
      1,
    );
    expect(loaded).toEqual(["company.refresh"]);
  });

  it("a company is due once the interval of its band has passed, at every band boundary", async () => {
    const { db } = await testStore();
    const cases: Array<[number, number]> = [
      [100, 1],
      [81, 1],
      [80, 2],
      [61, 2],
      [60, 3],
      [31, 3],
      [30, 4],
      [11, 4],
      [10, 5],
      [1, 5],
    ];
    const due: string[] = [];
    const notDue: string[] = [];
    for (const [rank, days] of cases) {
      due.push(await company(db, [rank], days * D));
      notDue.push(await company(db, [rank], days * D - 60_000));
    }
    const r = await tick(db);
    expect(r.enqueued.map((e) => e.orgnr).sort()).toEqual([...due].sort());
    expect(r.due).toBe(due.length);
  });

  it("the highest rank over all users sets the interval", async () => {
    const { db } = await testStore();
    const shared = await company(db, [20, 90], 1.5 * D); // rank 90: daily
    const low = await company(db, [20], 1.5 * D); // rank 20: every 4 days
    const r = await tick(db);
    expect(r.enqueued.map((e) => ({ orgnr: e.orgnr, rank: e.rank }))).toEqual([{ orgnr: shared, rank: 90 }]);
    expect(r.enqueued.map((e) => e.orgnr)).not.toContain(low);
  });

  it("caps a tick, highest rank first, then the longest unrefreshed; the rest waits for later ticks", async () => {
    const { db } = await testStore();
    const a = await company(db, [50]);
    const b = await company(db, [99], 2 * D);
    const c = await company(db, [99]);
    const d = await company(db, [70], 9 * D);
    await company(db, [5]);
    const first = await tick(db, { cap: 3 });
    expect(first.enqueued.map((e) => e.orgnr)).toEqual([c, b, d]);
    expect(first).toMatchObject({ due: 5, deferred: 2 });
    const second = await tick(db, { cap: 3 });
    expect(second.enqueued.map((e) => e.orgnr)[0]).toBe(a);
    expect(second).toMatchObject({ due: 2, deferred: 0 });
  });

  it("never enqueues a second refresh for a company while one is pending", async () => {
    const { db } = await testStore();
    for (let i = 0; i < 5; i++) await company(db, [40 + i]);
    await tick(db, { cap: 2 });
    await tick(db, { cap: 2 });
    await tick(db, { cap: 10 });
    expect((await tick(db)).enqueued).toEqual([]);
    const jobs = await db.selectFrom("job").select(["dedupe_key", "priority", "state"]).execute();
    expect(jobs).toHaveLength(5);
    expect(new Set(jobs.map((j) => j.dedupe_key)).size).toBe(5);
    expect(jobs.every((j) => j.state === "pending" && j.priority < 0)).toBe(true);
  });

  it("a dry run counts and picks but writes nothing", async () => {
    const { db } = await testStore();
    await company(db, [90]);
    const r = await tick(db, { dryRun: true });
    expect(r.enqueued).toMatchObject([{ jobId: null }]);
    expect(await db.selectFrom("job").selectAll().execute()).toEqual([]);
  });

  it("failures in a row make a company a problem that the cadence skips until it is reset", async () => {
    const { db } = await testStore();
    const orgnr = await company(db, [95]);
    await recordRefreshOutcome(db, orgnr, { outcome: "failed", message: "timeout" }, NOW - 3 * D, 3);
    await recordRefreshOutcome(db, orgnr, { outcome: "failed", message: "timeout" }, NOW - 2 * D, 3);
    expect((await tick(db, { dryRun: true })).enqueued).toHaveLength(1);
    const third = await recordRefreshOutcome(db, orgnr, { outcome: "failed", message: "HTTP 500" }, NOW - 2 * D, 3);
    expect(third).toMatchObject({ problem: 1, consecutive_failures: 3, problem_since: toInstant(NOW - 2 * D), last_message: "HTTP 500" });
    expect(await tick(db)).toMatchObject({ due: 0, enqueued: [], problems: 1 });
    expect(await resetRefreshProblem(db, orgnr, NOW)).toBe(true);
    expect((await tick(db)).enqueued.map((e) => e.orgnr)).toEqual([orgnr]);
  });

  it("a success clears the failure count; a skipped refresh keeps it", async () => {
    const { db } = await testStore();
    const orgnr = await company(db, [95]);
    await recordRefreshOutcome(db, orgnr, { outcome: "failed", message: "x" }, NOW, 3);
    expect(await recordRefreshOutcome(db, orgnr, { outcome: "skipped", message: "no analyser configured" }, NOW, 3)).toMatchObject({
      consecutive_failures: 1,
      problem: 0,
    });
    expect(await recordRefreshOutcome(db, orgnr, { outcome: "ok", message: null }, NOW, 3)).toMatchObject({
      consecutive_failures: 0,
      problem: 0,
      last_success_at: toInstant(NOW),
    });
  });
});
