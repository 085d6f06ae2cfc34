import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { loadedModules } from "../helpers/loaded-modules.ts";
import { writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// `status` runs from dist/status.js without commander (src/fast/status.ts). `--verbose` never
// takes that path: it runs the full CLI, the reference every answer is compared with.

const NOW = "2026-12-05T12:00:00.000Z";
/** Over an hour after the seed and the tick: their jobs are due, and no age is on the edge of a limit. */
const LATER = "2026-12-05T13:07:30.000Z";

/** The clock runs on from --now while a command works: durations and instants differ by milliseconds. */
const steady = (text: string) =>
  text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<instant>")
    .replace(/"(\w*Ms)": \d+/g, '"$1": <ms>')
    .replace(/\b\d+(ms|s|m|h|d)\b/g, "<duration>");

/** Every answer of the light path (status.js alone) equals the full CLI's: text, --json, --check, exit codes. */
async function expectSameAsFullCli(db: string, now = LATER): Promise<void> {
  for (const args of [[], ["--check"], ["--json"], ["--check", "--json"], ["--check", "--max-pending-age", "2h", "--dead-window=1h"]]) {
    const light = await loadedModules(["status", ...args, "--now", now], db);
    expect(light.loaded, args.join(" ")).toEqual(["status.js"]);
    const full = await runCli(["--verbose", "status", ...args, "--now", now], db);
    expect(light.code, args.join(" ")).toBe(full.code);
    expect(steady(light.stdout), args.join(" ")).toBe(steady(full.stdout));
    expect(light.stderr).toBe(full.stderr);
  }
}

/**
 * A few hundred jobs in every state (running with live and expired leases and progress, dead,
 * cancelled, due, later and waiting), recent failed attempts, schedules overdue, paused, missed
 * and with deleted or dead last jobs, failing invoice PDFs, a cleanup that failed on links,
 * undelivered notifications and a failed process run.
 */
function busyQueue(db: string): void {
  const at = (minutesBefore: number) => new Date(Date.parse(LATER) - minutesBefore * 60_000).toISOString();
  writeSync(
    db,
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < 300)
     insert into job (type, state, run_at, attempts, created_at, updated_at, started_at, finished_at, last_error, lease_owner, lease_expires_at, progress)
     select case i % 4 when 0 then 'noop' when 1 then 'invoice.pdf' when 2 then 'links.cleanup' else 'budget.alerts' end,
            case i % 5 when 0 then 'pending' when 1 then 'running' when 2 then 'completed' when 3 then 'dead' else 'cancelled' end,
            case when i % 3 = 0 then @a else @b end, i % 4, @c, @c, @c,
            case when i % 5 in (2, 3, 4) then strftime('%Y-%m-%dT%H:%M:%fZ', @c, '+' || i || ' seconds') end,
            case when i % 5 = 3 then 'boom ' || i end,
            case when i % 5 = 1 then 'host:' || i || ':1' end,
            case when i % 5 = 1 then case when i % 2 = 0 then @live else @expired end end,
            case when i % 5 = 1 and i % 3 = 0 then '{"step":' || i || '}' end
     from n`,
    // Leases are judged on the real clock, whatever --now says: live ones end after the test, expired ones before it.
    {
      a: at(-600),
      b: at(30),
      c: at(90),
      live: new Date(Date.now() + 3_600_000).toISOString(),
      expired: new Date(Date.now() - 3_600_000).toISOString(),
    },
  );
  writeSync(
    db,
    "update job set depends_on = (select min(id) from job where state = 'running'), blocked = 1 where id in (select id from job where state = 'pending' order by id desc limit 7)",
  );
  writeSync(
    db,
    `insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome, error)
     select id, 1, 1, 'w', @a, strftime('%Y-%m-%dT%H:%M:%fZ', @a, '+' || id || ' seconds'),
            case id % 4 when 0 then 'failed' when 1 then 'timed_out' when 2 then 'lost' else 'completed' end, 'attempt error ' || id
     from job where state in ('dead', 'completed')`,
    { a: at(120) },
  );
  writeSync(
    db,
    "insert into job (type, state, run_at, created_at, updated_at, finished_at, result) values ('links.cleanup', 'completed', @a, @a, @a, @a, @b)",
    { a: at(60), b: JSON.stringify({ links: { deactivated: 4, failed: 150 } }) },
  );
  // Two checks of the file: the later one found damage, and only the latest counts.
  writeSync(
    db,
    `insert into job (type, state, run_at, created_at, updated_at, finished_at, result) values
     ('db.check', 'completed', @a, @a, @a, @a, @b), ('db.check', 'completed', @c, @c, @c, @c, @d)`,
    {
      a: at(600),
      b: JSON.stringify({ problems: [] }),
      c: at(50),
      d: JSON.stringify({ problems: ["Tree 124 page 174: free space corruption"] }),
    },
  );
  writeSync(
    db,
    `insert into notification (kind, recipient, subject, body, status, attempts, last_error, created_at) values
     ('job.dead', 'ops@example.se', 'Job died', 'b', 'failed', 5, 'webhook said 500', @a),
     ('budget.alert', 'pm@example.se', 'Budget at 90%', 'b', 'pending', 1, null, @b),
     ('budget.alert', 'pm@example.se', 'Budget at 100%', 'b', 'pending', 2, 'timeout', @c)`,
    { a: at(30), b: at(40), c: at(3) },
  );
  writeSync(db, "update schedule set active = 0 where id = (select min(id) from schedule)");
  writeSync(
    db,
    "update schedule set next_fire_at = ?, last_job_id = (select max(id) from job where state = 'dead') where id = (select max(id) from schedule where active = 1)",
    at(100),
  );
  writeSync(db, "update schedule set last_job_id = 999999 where id = (select min(id) from schedule where active = 1)");
  writeSync(
    db,
    `insert into schedule_fire (schedule_id, kind, fire_at, fire_count, last_fire_at, recorded_at, late_ms, policy)
     select id, 'missed', @a, 3, @b, @c, 0, 'coalesce' from schedule where active = 1
     union all select id, 'run', @d, 1, null, @c, 0, 'coalesce' from schedule where active = 1`,
    { a: at(300), b: at(200), c: at(20), d: at(19) },
  );
  writeSync(
    db,
    "insert into command_run (command, owner, started_at, finished_at, exit_code) values ('process', 'h:1:1', @a, @a, 0), ('process', 'h:2:1', @b, @b, 1)",
    { a: at(240), b: at(10) },
  );
}

describe("status without commander", () => {
  it("prints what the full command prints, text and --json, with its exit code", async () => {
    const db = join(tempDir(), "q.db");
    await runJson(["seed", "--companies", "60", "--tracked", "20", "--answers", "2", "--now", NOW], db);
    await runJson(["enqueue", "--now", NOW], db);
    await runJson(["jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z"], db);
    writeSync(db, "update job set state = 'dead', finished_at = ?, last_error = 'boom' where id = 1", NOW);
    await expectSameAsFullCli(db);
    const check = await loadedModules(["status", "--check"], db);
    expect(check.code).toBe(1); // the seeded back office has never run its alerts
    expect(check.stdout).toMatch(/health: UNHEALTHY/);
  });

  it("prints what the full command prints on an empty database", async () => {
    const db = join(tempDir(), "q.db");
    await createDb(db);
    await expectSameAsFullCli(db);
    const json = JSON.parse((await loadedModules(["status", "--json", "--now", LATER], db)).stdout);
    expect(json.queue.counts).toEqual({ pending: 0, running: 0, completed: 0, dead: 0, cancelled: 0 });
  });

  it("prints what the full command prints on a busy queue with every section and problem", async () => {
    const db = join(tempDir(), "q.db");
    await runJson(["seed", "--companies", "20", "--tracked", "5", "--answers", "1", "--now", NOW], db);
    await runJson(["enqueue", "--now", NOW], db);
    busyQueue(db);
    await expectSameAsFullCli(db);
    // Every section and problem the fixture is for is in the output compared above.
    const doc = JSON.parse((await loadedModules(["status", "--check", "--json", "--now", LATER], db)).stdout);
    expect(doc.expiredLeases).toBeGreaterThan(0);
    expect(doc.running.some((r: { expired: boolean }) => !r.expired)).toBe(true);
    expect(doc.running.some((r: { progress: unknown }) => r.progress !== null)).toBe(true);
    expect(doc.queue.waiting).toBe(7);
    expect(doc.queue.due).toBeGreaterThan(0);
    expect(doc.queue.scheduled).toBeGreaterThan(0);
    expect(doc.recentFailures).toHaveLength(10);
    expect(doc.deadJobs).toHaveLength(10);
    expect(doc.schedules.paused).toBeGreaterThan(0);
    expect(doc.schedules.overdue).toBeGreaterThan(0);
    expect(doc.schedules.items.map((i: { lastOutcome: string | null }) => i.lastOutcome)).toEqual(
      expect.arrayContaining(["dead", "deleted"]),
    );
    expect(doc.schedules.items.some((i: { lastCatchUp: unknown }) => i.lastCatchUp !== null)).toBe(true);
    expect(doc.backoffice.notifications).toMatchObject({ pending: 2, overdue: 1, failed: 1, recentFailed: 1 });
    expect(doc.backoffice.cleanup.linksFailed).toBe(150);
    expect(doc.integrity.problems).toEqual(["Tree 124 page 174: free space corruption"]);
    expect(doc.health.problems.join("\n")).toMatch(
      /database file is damaged[\s\S]*schedule\(s\) overdue[\s\S]*invoice PDF attempts failed[\s\S]*failed on 150 links[\s\S]*given up/,
    );
  });

  it("a bad option, a missing or newer database and PostgreSQL go to the full CLI, which reports them", async () => {
    const db = join(tempDir(), "q.db");
    await createDb(db);

    const bad = await loadedModules(["status", "--check", "--max-pending-age", "soon"], db);
    expect(bad.loaded).toContain("cli.js");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-pending-age/);

    const unknown = await loadedModules(["status", "--verbose-ish"], db);
    expect(unknown.loaded).toContain("cli.js");
    expect(unknown.code).toBe(2);

    const missing = await loadedModules(["status"], join(tempDir(), "none.db"));
    expect(missing.loaded).toContain("cli.js");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at/);

    const newer = join(tempDir(), "newer.db");
    await createDb(newer);
    writeSync(newer, "insert into schema_migration values ('9999_future', '2030-01-01T00:00:00.000Z')");
    const refused = await loadedModules(["status", "--check"], newer);
    expect(refused.loaded).toContain("cli.js");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/written by a newer leadjobs \(unknown migration 9999_future\); it was not modified/);

    const postgres = await loadedModules(["--db", "postgres://leadjobs@127.0.0.1:1/none", "status"], db);
    expect(postgres.loaded).toContain("cli.js");
    expect(postgres.code).not.toBe(0);
  });
});
