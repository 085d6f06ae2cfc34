import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { loadedModules } from "../helpers/loaded-modules.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// `enqueue` with nothing to do answers from the cron fast path (src/fast/enqueue.ts). `--verbose`
// never takes the fast path: it runs the full command, the reference every answer is compared with.

interface Run {
  owner: string;
  exit_code: number;
  summary: string;
  finished: number;
}

const enqueueRuns = (db: string) =>
  query<Run>(
    db,
    "select owner, exit_code, summary, finished_at is not null as finished from command_run where command = 'enqueue' order by id",
  );

/** What differs between two runs however alike they are: the instants, the duration and the process. */
const timeless = (doc: Record<string, unknown>) => {
  const { now: _n, durationMs: _d, ...rest } = doc;
  return { keys: Object.keys(doc), ...rest };
};
const timelessRun = ({ owner: _o, summary, ...row }: Run) => ({ ...row, summary: timeless(JSON.parse(summary)) });

/** A seeded database (tracked companies, schedules) with every schedule's next fire far away. */
async function seeded(): Promise<string> {
  const db = join(tempDir(), "q.db");
  await runJson(["seed", "--companies", "60", "--tracked", "20", "--answers", "2"], db);
  writeSync(db, "update schedule set next_fire_at = '2099-01-01T00:00:00.000Z' where next_fire_at is not null");
  return db;
}

/** The fast path's answer and then the full command's, for the same arguments on the same database. */
async function bothPaths(db: string, args: string[]) {
  const fast = await loadedModules(["enqueue", ...args], db);
  expect(fast.stderr).toBe("");
  expect(fast.loaded).toEqual(["fast.js"]);
  const full = await runCli(["--verbose", "enqueue", ...args], db);
  expect(full.code, full.stderr).toBe(fast.code);
  const [a, b] = enqueueRuns(db).slice(-2) as [Run, Run];
  expect(timelessRun(a)).toEqual(timelessRun(b));
  expect(a.finished).toBe(1);
  return { fast, full, summary: JSON.parse(a.summary) as Record<string, unknown> };
}

describe("the idle enqueue tick on the fast path", () => {
  it("answers without loading the CLI bundle, with the full command's report, exit code and command_run row", async () => {
    const db = await seeded();
    // Refreshes are due, but --refresh-cap 0 enqueues none: the tick only counts them.
    const capped = await bothPaths(db, ["--refresh-cap", "0", "--json"]);
    const report = JSON.parse(capped.fast.stdout);
    expect(timeless(report)).toEqual(timeless(JSON.parse(capped.full.stdout)));
    expect(report.refresh).toMatchObject({ due: 20, enqueued: 0, deferred: 20, cap: 0, companies: [] });
    expect(capped.summary).toMatchObject({ now: report.now, durationMs: report.durationMs, schedules: 0 });

    const filled = await loadedModules(["enqueue", "--json"], db); // refreshes to enqueue: the full command
    expect(filled.loaded).toContain("cli.js");
    expect(JSON.parse(filled.stdout).refresh).toMatchObject({ due: 20, enqueued: 20 });

    const idle = await bothPaths(db, ["--json"]);
    expect(timeless(JSON.parse(idle.fast.stdout))).toEqual(timeless(JSON.parse(idle.full.stdout)));
    expect(JSON.parse(idle.fast.stdout).refresh).toMatchObject({ due: 0, enqueued: 0, cap: 200 });

    const plain = await bothPaths(db, []);
    expect(plain.fast).toMatchObject({ code: 0, stdout: "" });
    expect(plain.full.stdout).toBe("");

    // Refreshed 0-4 days ago, a few of them problems, the jobs done: each rank band's own cut-off
    // decides, with the tolerance of the previous tick; the fast path must count as the tick does.
    writeSync(db, "update job set state = 'completed', finished_at = updated_at where type = 'company.refresh'");
    writeSync(
      db,
      `insert or replace into company_refresh (orgnr, last_refreshed_at, due_from, problem, updated_at)
         select orgnr, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (rowid % 5) || ' days', '+30 minutes'), null,
                rowid % 7 = 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') from company_tracking`,
    );
    const banded = await bothPaths(db, ["--refresh-cap", "0", "--json"]);
    expect(timeless(JSON.parse(banded.fast.stdout))).toEqual(timeless(JSON.parse(banded.full.stdout)));
    const { due, problems } = JSON.parse(banded.fast.stdout).refresh;
    expect(due).toBeGreaterThan(0);
    expect(due + problems).toBeLessThan(20);
    expect(problems).toBeGreaterThan(0);
  });

  it("a due schedule, a fire record to prune or a job to rescue goes to the full command", async () => {
    const db = await seeded();
    await runJson(["enqueue"], db); // the due refreshes

    // Every 15 minutes, last checked an hour ago: a run (coalesced) is due.
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    writeSync(db, "update schedule set checked_until = ?, next_fire_at = ? where name = 'install-check'", ago(3_600_000), ago(60_000));
    const due = await loadedModules(["enqueue", "--json"], db);
    expect(due.loaded).toContain("cli.js");
    expect(JSON.parse(due.stdout).schedules).toMatchObject([{ name: "install-check", runs: [{}] }]);

    writeSync(db, "update schedule_fire set recorded_at = '2000-01-01T00:00:00.000Z'");
    const prune = await loadedModules(["enqueue", "--json"], db);
    expect(prune.loaded).toContain("cli.js");
    expect(counts(db, ["schedule_fire"])).toEqual({ schedule_fire: 0 });

    writeSync(
      db,
      `update job set state = 'running', attempts = 1, lease_owner = 'elsewhere:1', lease_token = 1,
         lease_expires_at = '2000-01-01T00:00:00.000Z' where id = (select min(id) from job where state = 'pending')`,
    );
    const rescue = await loadedModules(["enqueue", "--json"], db);
    expect(rescue.loaded).toContain("cli.js");
    expect(JSON.parse(rescue.stdout)).toMatchObject({ rescued: 1 });

    const quiet = await loadedModules(["enqueue", "--json"], db); // nothing left to do
    expect(quiet.loaded).toEqual(["fast.js"]);
  });

  it("options, databases and settings the fast path does not take go to the full command, which reports them", async () => {
    const db = await seeded();
    const before = enqueueRuns(db).length;

    const bad = await loadedModules(["enqueue", "--refresh-cap", "many"], db);
    expect(bad.loaded).toContain("cli.js");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/refresh-cap|refreshCap/i);

    const dry = await loadedModules(["enqueue", "--dry-run", "--refresh-cap", "0", "--json"], db);
    expect(dry.loaded).toContain("cli.js");
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true });
    expect(enqueueRuns(db)).toHaveLength(before);

    const missing = join(tempDir(), "new.db");
    const created = await loadedModules(["enqueue"], missing);
    expect(created.loaded).toContain("cli.js");
    expect(created.code, created.stderr).toBe(0);
    expect(existsSync(missing)).toBe(true);

    const newer = join(tempDir(), "newer.db");
    await createDb(newer);
    writeSync(newer, "insert into schema_migration values ('9999_future', '2030-01-01T00:00:00.000Z')");
    const refused = await loadedModules(["enqueue"], newer);
    expect(refused.loaded).toContain("cli.js");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/written by a newer leadjobs \(unknown migration 9999_future\); it was not modified/);
    expect(counts(newer, ["command_run"])).toEqual({ command_run: 0 });

    const postgres = await loadedModules(["--db", "postgres://leadjobs@127.0.0.1:1/none", "enqueue"], db);
    expect(postgres.loaded).toContain("cli.js");
    expect(postgres.code).not.toBe(0);
  });
});
