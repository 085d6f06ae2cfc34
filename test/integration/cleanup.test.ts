import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { countHistory, pruneHistory } from "../../src/core/queue/prune.ts";
import { countDueLinks, deactivateLinks } from "../../src/core/cleanup/links.ts";
import { countOldViews, pruneViews } from "../../src/core/cleanup/views.ts";
import { onPostgres } from "../helpers/backend.ts";
import { addJob, addLink, addTenant, T0 } from "../helpers/backoffice.ts";
import { testStore } from "../helpers/store.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

describe("share-link deactivation", () => {
  it("expiry boundary: a link expires at its expires_at instant", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const atNow = await addLink(db, t.id, { expiresAt: iso(T0) });
    const past = await addLink(db, t.id, { expiresAt: iso(T0 - 1) });
    const future = await addLink(db, t.id, { expiresAt: iso(T0 + 1) });
    const never = await addLink(db, t.id, { expiresAt: null });
    expect(await countDueLinks(db, T0)).toEqual({ selected: 2, expired: 2, maxViews: 0 });
    const s = await deactivateLinks(db, { now: T0, worker: "job:1" });
    expect(s).toMatchObject({ selected: 2, deactivated: 2, expired: 2, maxViews: 0, skipped: 0, failed: 0, batches: 1 });
    const active = await db.selectFrom("share_link").select(["id", "active", "deactivation_reason"]).orderBy("id").execute();
    expect(active).toEqual([
      { id: atNow, active: 0, deactivation_reason: `expired at ${iso(T0)}` },
      { id: past, active: 0, deactivation_reason: `expired at ${iso(T0 - 1)}` },
      { id: future, active: 1, deactivation_reason: null },
      { id: never, active: 1, deactivation_reason: null },
    ]);
  });

  it("max views boundary: used up once its views reach the maximum", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const reached = await addLink(db, t.id, { maxViews: 5, viewCount: 5 });
    const over = await addLink(db, t.id, { maxViews: 5, viewCount: 6 });
    const under = await addLink(db, t.id, { maxViews: 5, viewCount: 4 });
    const unlimited = await addLink(db, t.id, { maxViews: null, viewCount: 1000 });
    const s = await deactivateLinks(db, { now: T0, worker: "job:1" });
    expect(s).toMatchObject({ deactivated: 2, expired: 0, maxViews: 2 });
    const rows = await db.selectFrom("share_link").select(["id", "active"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: reached, active: 0 },
      { id: over, active: 0 },
      { id: under, active: 1 },
      { id: unlimited, active: 1 },
    ]);
  });

  it("works in batches of 100 with one audit event per link", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    for (let i = 0; i < 250; i++) await addLink(db, t.id, { expiresAt: iso(T0 - DAY) });
    const batches: number[] = [];
    const s = await deactivateLinks(db, { now: T0, worker: "job:7", onBatchSelected: async (ids) => void batches.push(ids.length) });
    expect(batches).toEqual([100, 100, 50]);
    expect(s).toMatchObject({ selected: 250, deactivated: 250, batches: 3 });
    const audit = await db
      .selectFrom("audit_log")
      .select(["table_name", "action", "worker", "changed_fields", "old_values", "new_values"])
      .execute();
    expect(audit.length).toBe(250);
    expect(audit[0]).toMatchObject({ table_name: "share_link", action: "update", worker: "job:7" });
    expect(JSON.parse(audit[0]!.changed_fields)).toEqual(["active", "deactivated_at", "deactivation_reason", "version"]);
    expect(JSON.parse(audit[0]!.new_values!)).toMatchObject({ active: 0, version: 2 });
    expect((await deactivateLinks(db, { now: T0, worker: "job:8" })).selected).toBe(0);
  });

  it("a link changed after it was selected is skipped, not overwritten; the next run looks again", async () => {
    const store = await testStore();
    const db = store.db;
    const t = await addTenant(db);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await addLink(db, t.id, { maxViews: 3, viewCount: 3 }));
    const second = await testStore(store.path); // another process's connection
    const s = await deactivateLinks(db, {
      now: T0,
      worker: "job:1",
      onBatchSelected: async () => {
        // Meanwhile the owner extends two links (more views allowed): their version changes.
        await second.db
          .updateTable("share_link")
          .set((eb) => ({ max_views: 10, version: eb("version", "+", 1) }))
          .where("id", "in", [ids[1]!, ids[3]!])
          .execute();
      },
    });
    expect(s).toMatchObject({ selected: 5, deactivated: 3, skipped: 2 });
    const rows = await db.selectFrom("share_link").select(["id", "active", "max_views"]).orderBy("id").execute();
    expect(rows.map((r) => r.active)).toEqual([0, 1, 0, 1, 0]);
    expect(rows[1]?.max_views).toBe(10);
    expect(await db.selectFrom("audit_log").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).toEqual({ n: 3 });
    expect(await deactivateLinks(db, { now: T0, worker: "job:2" })).toMatchObject({ selected: 0 });
  });

  it("a link that fails is rolled back alone and counted", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await addLink(db, t.id, { expiresAt: iso(T0 - 1) }));
    if (onPostgres) {
      await sql
        .raw(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'disk says no'; end $$`)
        .execute(db);
      await sql
        .raw(
          `create trigger refuse before update on share_link for each row when (old.id in (${ids[2]}, ${ids[4]})) execute function refuse()`,
        )
        .execute(db);
    } else {
      await sql
        .raw(
          `create trigger refuse before update on share_link when old.id in (${ids[2]}, ${ids[4]}) begin select raise(abort, 'disk says no'); end`,
        )
        .execute(db);
    }
    const s = await deactivateLinks(db, { now: T0, worker: "job:1" });
    expect(s).toMatchObject({
      deactivated: 4,
      failed: 2,
      failures: [
        { linkId: ids[2], error: expect.stringMatching(/disk says no/) },
        { linkId: ids[4], error: expect.stringMatching(/disk says no/) },
      ],
    });
    expect(await db.selectFrom("audit_log").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).toEqual({ n: 4 });
  });
});

describe("retention", () => {
  it("deletes link views older than the retention, in batches; the boundary instant stays", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    await addLink(db, t.id, { views: 7, viewAgeMs: 90 * DAY + 1 });
    await addLink(db, t.id, { views: 3, viewAgeMs: 90 * DAY });
    await addLink(db, t.id, { views: 2, viewAgeMs: DAY });
    expect(await countOldViews(db, T0 - 90 * DAY)).toBe(7);
    const s = await pruneViews(db, { before: T0 - 90 * DAY, batchSize: 3 });
    expect(s).toMatchObject({ deleted: 7, batches: 3 });
    expect(await db.selectFrom("share_link_view").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).toEqual({ n: 5 });
  });

  it("prunes completed jobs after 30 days and dead ones after 90, with their attempts; never pending or running work", async () => {
    const { db } = await testStore();
    const keep: number[] = [];
    const gone: number[] = [];
    gone.push(await addJob(db, "completed", 31 * DAY));
    gone.push(await addJob(db, "cancelled", 31 * DAY));
    keep.push(await addJob(db, "completed", 29 * DAY));
    gone.push(await addJob(db, "dead", 91 * DAY));
    keep.push(await addJob(db, "dead", 89 * DAY));
    keep.push(await addJob(db, "dead", 31 * DAY));
    keep.push(await addJob(db, "pending", null));
    const running = await addJob(db, "running", null); // its attempt has no row until it ends
    keep.push(running);
    keep.push(await addJob(db, "completed", 400 * DAY, "budget.alerts")); // the latest of its type: monitoring needs it
    await db
      .insertInto("command_run")
      .values([
        { command: "process", owner: "h:1", started_at: iso(T0 - 40 * DAY), finished_at: iso(T0 - 40 * DAY), exit_code: 0, summary: null },
        { command: "process", owner: "h:1", started_at: iso(T0 - 35 * DAY), finished_at: iso(T0 - 35 * DAY), exit_code: 0, summary: null },
        { command: "process", owner: "h:1", started_at: iso(T0 - 35 * DAY), finished_at: null, exit_code: null, summary: null },
      ])
      .execute();
    const opts = { finishedBefore: T0 - 30 * DAY, deadBefore: T0 - 90 * DAY, batchSize: 2 };
    expect(await countHistory(db, opts)).toEqual({ jobs: 2, deadJobs: 1, attempts: 3, commandRuns: 1 });
    const s = await pruneHistory(db, opts);
    expect(s).toMatchObject({ jobs: 2, deadJobs: 1, attempts: 3, commandRuns: 1 });
    const left = (await db.selectFrom("job").select("id").orderBy("id").execute()).map((j) => j.id);
    expect(left).toEqual(keep.sort((a, b) => a - b));
    expect((await db.selectFrom("job_attempt").select("job_id").execute()).map((a) => a.job_id).sort((a, b) => a - b)).toEqual(
      keep.filter((id) => id !== running).sort((a, b) => a - b),
    );
    expect((await db.selectFrom("command_run").select("started_at").execute()).length).toBe(2); // the latest success and the unfinished one
    expect(gone.length).toBe(3);
  });
});
