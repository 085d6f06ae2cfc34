import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runJson, spawnCli } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const CREATED = "2026-03-01T12:00:00Z";

describe("enqueue is idempotent under concurrency", () => {
  it("several enqueue processes at the same instant, and overlapping ticks, create each fire once", async () => {
    const db = join(tempDir(), "c.db");
    await runJson(["seed", "--companies", "400", "--tracked", "300"], db);
    const specs: Array<[string, string[]]> = [
      ["every-5", ["--cron", "*/5 * * * *"]],
      ["every-5-all", ["--cron", "*/5 * * * *", "--misfire", "all", "--cap", "50"]],
      ["hourly", ["--cron", "0 * * * *", "--misfire", "all"]],
      ["daily", ["--at", "15:30", "--days", "daily"]],
      ["skip", ["--cron", "*/10 * * * *", "--misfire", "skip", "--grace", "30m"]],
    ];
    for (const [name, args] of specs) await runJson(["schedule", "add", "--name", name, "--type", "noop", ...args, "--now", CREATED], db);

    const tick = (now: string) => finished(spawnCli(["enqueue", "--now", now, "--refresh-cap", "40", "--json"], db));
    const parse = (r: { code: number | null; stdout: string; stderr: string }) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as {
        enqueued: number;
        schedules: Array<{ name: string; runs: unknown[] }>;
        refresh: { enqueued: number };
      };
    };
    const ranSoFar = () =>
      Object.fromEntries(
        query<{ name: string; n: number }>(
          db,
          "select s.name, count(*) n from schedule_fire f join schedule s on s.id = f.schedule_id where kind = 'run' group by s.name",
        ).map((r) => [r.name, r.n]),
      );
    const checkOnce = () => {
      expect(query(db, "select schedule_id, fire_at, count(*) n from schedule_fire group by 1, 2 having count(*) > 1")).toEqual([]);
      const jobs = query<{ n: number }>(db, "select count(*) n from job where schedule_id is not null")[0]?.n;
      expect(jobs).toBe(query<{ n: number }>(db, "select count(*) n from schedule_fire where kind = 'run'")[0]?.n);
      return jobs;
    };

    // Six ticks at the same instant: one of them does the work, the others find nothing due.
    const wave1 = (await Promise.all(Array.from({ length: 6 }, () => tick("2026-03-01T14:00:30Z")))).map(parse);
    expect(wave1.map((r) => r.schedules.length).sort()).toEqual([0, 0, 0, 0, 0, 4]);
    expect(ranSoFar()).toEqual({ "every-5": 1, "every-5-all": 24, hourly: 2, skip: 3 });
    expect(checkOnce()).toBe(30);

    // Overlapping ticks at two later instants: whichever order they run in, no fire twice.
    const wave2 = (
      await Promise.all([
        ...Array.from({ length: 3 }, () => tick("2026-03-01T15:02:30Z")),
        ...Array.from({ length: 3 }, () => tick("2026-03-01T16:07:30Z")),
      ])
    ).map(parse);
    const reports = [...wave1, ...wave2];
    const jobs = checkOnce();
    expect(reports.reduce((n, r) => n + r.schedules.reduce((m, s) => m + s.runs.length, 0), 0)).toBe(jobs);
    const ran = ranSoFar();
    expect(ran["every-5-all"]).toBe(49); // 12:05 .. 16:05, each once
    expect(ran.daily).toBe(1);
    expect([2, 3]).toContain(ran["every-5"]);

    // Refresh jobs: never two for one company, at most the cap per tick.
    expect(query(db, "select dedupe_key, count(*) n from job where type = 'company.refresh' group by 1 having n > 1")).toEqual([]);
    const refreshJobs = query<{ n: number }>(db, "select count(*) n from job where type = 'company.refresh'")[0]?.n;
    expect(refreshJobs).toBe(reports.reduce((n, r) => n + r.refresh.enqueued, 0));
    for (const r of reports) expect(r.refresh.enqueued).toBeLessThanOrEqual(40);
    const tracked = query<{ n: number }>(db, "select count(distinct orgnr) n from company_tracking")[0]?.n as number;
    expect(refreshJobs).toBe(Math.min(tracked, 12 * 40));
    expect(query(db, "select count(*) n from command_run where command = 'enqueue' and exit_code = 0")).toEqual([{ n: 12 }]);
  });
});
