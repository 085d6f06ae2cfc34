import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { onPostgres } from "../helpers/backend.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { addJob, addLink, addTenant, T0, withDb } from "../helpers/backoffice.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const NOW = new Date(T0).toISOString();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function setup(): Promise<string> {
  const db = join(tempDir(), "bo.db");
  await createDb(db);
  await withDb(db, async (d) => {
    const t = await addTenant(d);
    for (let i = 0; i < 120; i++) await addLink(d, t.id, { expiresAt: iso(T0 - DAY) });
    for (let i = 0; i < 30; i++) await addLink(d, t.id, { maxViews: 2, viewCount: 2 });
    await addLink(d, t.id, { expiresAt: iso(T0 + DAY), views: 4, viewAgeMs: 100 * DAY });
    await addLink(d, t.id, { views: 2, viewAgeMs: 10 * DAY });
    await addJob(d, "completed", 40 * DAY);
    await addJob(d, "completed", 35 * DAY);
    await addJob(d, "dead", 100 * DAY);
    await addJob(d, "pending", null);
  });
  return db;
}

describe("leadjobs cleanup", () => {
  it("--dry-run reports what it would do and writes nothing", async () => {
    const db = await setup();
    const r = await runJson(["cleanup", "--dry-run", "--now", NOW], db);
    expect(r).toEqual({
      dryRun: true,
      links: { wouldDeactivate: 150, expired: 120, maxViews: 30 },
      views: { wouldDelete: 4, before: iso(T0 - 90 * DAY).slice(0, 16) + r.views.before.slice(16) },
      history: { wouldDelete: { jobs: 1, deadJobs: 1, attempts: 2, commandRuns: 0 } }, // the newest completed noop job is kept
    });
    const human = await runCli(["cleanup", "--dry-run", "--now", NOW], db);
    expect(human.stdout).toMatch(/would deactivate 150 share link\(s\) \(120 expired, 30 at max views\)/);
    await withDb(db, async (d) => {
      expect(
        (await d.selectFrom("share_link").select(sql<number>`count(*)`.as("n")).where("active", "=", 1).executeTakeFirstOrThrow()).n,
      ).toBe(152);
      expect((await d.selectFrom("job").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n).toBe(4);
      expect((await d.selectFrom("audit_log").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n).toBe(0);
    });
  });

  it("deactivates, deletes and prunes, and the summary counts everything", async () => {
    const db = await setup();
    const r = await runJson(["cleanup", "--now", NOW], db);
    expect(r).toMatchObject({
      dryRun: false,
      ok: true,
      links: { selected: 150, deactivated: 150, expired: 120, maxViews: 30, skipped: 0, failed: 0, batches: 2 },
      views: { deleted: 4, batches: 1 },
      history: { jobs: 1, deadJobs: 1, attempts: 2 },
      errors: [],
    });
    const again = await runJson(["cleanup", "--now", NOW, "--view-retention", "5d", "--job-retention", "1d"], db);
    expect(again).toMatchObject({ links: { selected: 0 }, views: { deleted: 2 } });
    const status = await runJson(["status", "--now", NOW], db);
    expect(status.backoffice.cleanup).toMatchObject({ lastState: "completed", linksDeactivated: 0, linksFailed: 0 });
  });

  it("a run that fails on more than 100 links exits 1, and status --check flags it", async () => {
    const db = await setup();
    await withDb(db, async (d) => {
      if (onPostgres) {
        await sql`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'read-only share'; end $$`.execute(
          d,
        );
        await sql`create trigger refuse before update on share_link for each row when (old.max_views is null) execute function refuse()`.execute(
          d,
        );
      } else {
        await sql`create trigger refuse before update on share_link when old.max_views is null begin select raise(abort, 'read-only share'); end`.execute(
          d,
        );
      }
    });
    const r = await runCli(["cleanup", "--json", "--now", NOW], db);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).links).toMatchObject({ deactivated: 30, failed: 120 });
    expect(r.stderr).toMatch(/share link \d+ could not be deactivated: read-only share/);
    const check = await runCli(["status", "--check", "--now", NOW], db);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/the last share-link cleanup \(job \d+\) failed on 120 links \(limit 100\)/);
  });

  it("bad durations exit 2 before anything is written", async () => {
    const db = await setup();
    // A zero retention is refused by the jobs' payloads too: refused before the first job runs.
    for (const args of [
      ["--view-retention", "soon"],
      ["--job-retention", "-3d"],
      ["--dead-job-retention", ""],
      ["--job-retention", "0s"],
      ["--view-retention", "0ms", "--dry-run"],
    ]) {
      const r = await runCli(["cleanup", ...args], db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^leadjobs: invalid ${args[0]}[^\n]*\n$`));
    }
    expect((await runCli(["cleanup"], db, { env: { LEADJOBS_VIEW_RETENTION: "forever" } })).stderr).toMatch(
      /invalid LEADJOBS_VIEW_RETENTION "forever"/,
    );
    expect((await runCli(["cleanup"], db, { env: { LEADJOBS_JOB_RETENTION: "0d" } })).stderr).toMatch(
      /invalid jobRetention setting \(LEADJOBS_JOB_RETENTION or the config file\): a retention must be longer than 0/,
    );
    expect((await runJson(["jobs", "list"], db)).jobs.length).toBe(4);
    await withDb(db, async (d) => {
      expect(
        (await d.selectFrom("share_link").select(sql<number>`count(*)`.as("n")).where("active", "=", 1).executeTakeFirstOrThrow()).n,
      ).toBe(152);
    });
  });
});
