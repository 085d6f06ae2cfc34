import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// Several "machines" on one PostgreSQL: worker processes with their own host identity
// (LEADJOBS_HOST), as cron starts them on each machine of an operation that outgrew one.

const host = (name: string) => ({ env: { LEADJOBS_HOST: name } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !check(); await sleep(100))
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe("several machines, one queue", () => {
  it("8 workers on 4 hosts run 5,000 jobs, each exactly once", async () => {
    const dir = tempDir();
    const db = join(dir, "shared.db");
    const file = join(dir, "jobs.ndjson");
    writeFileSync(file, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ sleepMs: i % 50 === 0 ? 3 : 0 })).join("\n"));
    expect((await runCli(["jobs", "add", "noop", "--from", file, "--json"], db)).code).toBe(0);
    const workers = ["a", "a", "b", "b", "c", "c", "d", "d"].map((h) =>
      spawnCli(["process", "--concurrency", "5", "--wait", "--max-runtime", "120s", "--json"], db, host(`host-${h}`)),
    );
    const results = Promise.all(workers.map((w) => finished(w)));
    await until(
      () => query<{ n: number }>(db, "select count(*) as n from job where state = 'completed'")[0]?.n === 5000,
      "5,000 completed jobs",
      120_000,
    );
    for (const w of workers) w.kill("SIGTERM");
    const done = await results;
    for (const r of done) expect(r.code, r.stderr).toBe(0);
    const summaries = done.map((r) => JSON.parse(r.stdout));
    expect(summaries.reduce((s, x) => s + x.completed, 0)).toBe(5000);
    expect(query(db, "select count(*) as n from job_attempt")).toEqual([{ n: 5000 }]);
    expect(query(db, "select count(*) as n from (select job_id from job_attempt group by job_id having count(*) > 1) as twice")).toEqual([
      { n: 0 },
    ]);
    const hosts = query<{ h: string }>(db, "select distinct split_part(worker, ':', 1) as h from job_attempt order by h").map((r) => r.h);
    expect(hosts.length).toBeGreaterThan(1);
    expect(hosts.every((h) => /^host-[a-d]$/.test(h))).toBe(true);
  }, 240_000);

  it("kill -9 of a whole host: its jobs come back when their leases expire, not before, with the lost attempts recorded", async () => {
    const db = join(tempDir(), "crash.db");
    await runCli(["jobs", "add", "noop", "--from", "-"], db, { input: Array(4).fill('{"sleepMs":60000}').join("\n") });
    // Host A's two workers take the four long jobs; then the machine dies.
    const a = [0, 1].map(() => spawnCli(["--verbose", "process", "--concurrency", "2", "--lease", "4s"], db, host("host-a")));
    await until(() => query<{ n: number }>(db, "select count(*) as n from job where state = 'running'")[0]?.n === 4, "4 running jobs");
    for (const w of a) w.kill("SIGKILL");
    await Promise.all(a.map((w) => finished(w)));
    const killedAt = Date.now();

    // Host B's tick right away: A's pids mean nothing on B, so nothing is rescued yet.
    const early = await runJson(["enqueue", "--json"], db, host("host-b"));
    expect(early.rescued ?? 0).toBe(0);
    expect(query(db, "select count(*) as n from job where state = 'running'")).toEqual([{ n: 4 }]);

    // After the leases expired, B's tick rescues them and B's worker finishes them (shortened).
    const expires = Math.max(...query<{ at: string }>(db, "select lease_expires_at as at from job").map((r) => Date.parse(r.at)));
    await sleep(Math.max(0, expires - Date.now()) + 200);
    const tick = await runJson(["enqueue", "--json"], db, host("host-b"));
    expect(tick.rescued).toBe(4);
    const lost = query<{ outcome: string; error: string; finished_at: string }>(
      db,
      "select outcome, error, finished_at from job_attempt where outcome = 'lost' order by id",
    );
    expect(lost).toHaveLength(4);
    for (const l of lost) {
      expect(l.error).toMatch(/worker host-a:\d+(:\w+)? stopped \(lease expired at/);
      expect(Date.parse(l.finished_at)).toBeGreaterThanOrEqual(killedAt);
    }
    expect(query(db, "select count(*) as n from job where state = 'pending'")).toEqual([{ n: 4 }]);
    writeSync(db, `update job set payload = '{"sleepMs":10}'`);
    expect(await runJson(["process", "--json"], db, host("host-b"))).toMatchObject({ completed: 4, died: 0 });
    expect(query(db, "select outcome, count(*) as n from job_attempt group by outcome order by outcome")).toEqual([
      { outcome: "completed", n: 4 },
      { outcome: "lost", n: 4 },
    ]);
  });

  it("6 ticks from 3 hosts at the same --now fire each schedule time once", async () => {
    const db = join(tempDir(), "ticks.db");
    const created = "2026-11-20T08:00:00.000Z";
    const add = (name: string, misfire: string) =>
      runJson(
        [
          "schedule",
          "add",
          "--name",
          name,
          "--type",
          "noop",
          "--cron",
          "0 * * * *",
          "--misfire",
          misfire,
          "--cap",
          "100",
          "--now",
          created,
          "--json",
        ],
        db,
      );
    await add("hourly-all", "all");
    await add("hourly-coalesce", "coalesce");
    const now = "2026-11-20T14:30:00.000Z"; // six hourly fires since the schedules were added
    const ticks = ["x", "x", "y", "y", "z", "z"].map((h) => finished(spawnCli(["enqueue", "--now", now, "--json"], db, host(`host-${h}`))));
    for (const r of await Promise.all(ticks)) expect(r.code, r.stderr).toBe(0);
    const fires = query<{ name: string; kind: string; n: number }>(
      db,
      "select s.name, f.kind, count(*) as n from schedule_fire f join schedule s on s.id = f.schedule_id group by s.name, f.kind order by s.name, f.kind",
    );
    expect(fires).toEqual([
      { name: "hourly-all", kind: "run", n: 6 },
      { name: "hourly-coalesce", kind: "missed", n: 5 },
      { name: "hourly-coalesce", kind: "run", n: 1 },
    ]);
    expect(query(db, "select count(*) as n from job")).toEqual([{ n: 7 }]);
  });
});

describe("a PostgreSQL restart in the middle of a run", () => {
  const SERVER = fileURLToPath(new URL("../../scripts/postgres-test-server.sh", import.meta.url));
  let dir = "";
  let url = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "leadjobs-pg-restart-"));
    url = execFileSync("bash", [SERVER, dir], { encoding: "utf8" }).trim();
  });
  afterAll(() => {
    try {
      execFileSync("bash", [SERVER, "stop", dir], { stdio: "ignore" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("workers exit 75 or carry on, and a rerun drains the queue with nothing lost and nothing run twice", async () => {
    await runCli(["jobs", "add", "noop", "--from", "-"], url, { input: Array(400).fill('{"sleepMs":20}').join("\n") });
    const workers = [0, 1].map((i) => spawnCli(["-v", "process", "--concurrency", "4", "--lease", "3s"], url, host(`host-${i}`)));
    await Promise.all(workers.map((w) => waitForOutput(w, (t) => /attempt 1\/\d+ completed/.test(t))));
    execFileSync("bash", [SERVER, "restart", dir], { stdio: "ignore" });
    const ends = await Promise.all(workers.map((w) => finished(w)));
    for (const r of ends) {
      expect([0, 75], r.stderr.slice(-2000)).toContain(r.code);
      if (r.code === 75)
        expect(r.stderr).toMatch(
          /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres (is unreachable|ended the connection|is starting up|lost the connection).*try again later/,
        );
    }
    await sleep(3500); // the leases of what the workers held when the server went away
    const rerun = await runJson(["process", "--json"], url);
    expect(rerun.died).toBe(0);
    expect(query(url, "select state, count(*) as n from job group by state")).toEqual([{ state: "completed", n: 400 }]);
    expect(query(url, "select count(*) as n from job_attempt where outcome = 'completed'")).toEqual([{ n: 400 }]);
  });
});
