// Benchmark: one `leadjobs enqueue` tick over 1,000 schedules and 100,000 tracked companies.
// Prints JSON: wall time, CPU time and peak memory (max RSS) of the tick process, for the default refresh
// cap and for an uncapped first run that enqueues every due company.
//   node bench/enqueue-tick.mjs            (add --keep to keep the databases)
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "leadjobs");
const SCHEDULES = 1000;
const COMPANIES = 100_000;
const NOW = "2026-11-23T07:02:00.000Z";
mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
const dir = mkdtempSync(join(ROOT, "bench", "results", "enqueue-tick-")); // git-ignored
const db = join(dir, "bench.db");

function cli(args, extraDb = db) {
  const r = spawnSync(process.execPath, [BIN, "--db", extraDb, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`leadjobs ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const seedStart = performance.now();
cli(["seed", "--companies", String(COMPANIES), "--tracked", String(COMPANIES), "--json"]);
const seedMs = performance.now() - seedStart;

// 1,000 schedules of different shapes, last checked a day ago, so each has due fires to plan.
const raw = new Database(db);
const since = new Date(Date.parse(NOW) - 86_400_000).toISOString();
const shapes = ["*/5 * * * *", "*/15 * * * *", "0 * * * *", "30 2 * * *", "0 8 * * 1-5", "0 18 L * *", "0 9 * * 1#2", "*/10 6-22 * * *"];
const policies = ["coalesce", "skip", "all"];
const insert = raw.prepare(`insert into schedule (name, type, payload, owner, active, tz, cron, misfire, grace_ms, catch_up_cap, priority,
  created_at, updated_at, checked_until, next_fire_at) values (?, 'noop', '{}', 'bench', 1, ?, ?, ?, 3600000, 10, 0, ?, ?, ?, ?)`);
raw.transaction(() => {
  for (let i = 0; i < SCHEDULES; i++) {
    insert.run(
      `bench-${i}`,
      i % 10 === 0 ? "America/New_York" : "Europe/Stockholm",
      shapes[i % shapes.length],
      policies[i % 3],
      since,
      since,
      since,
      since,
    );
  }
})();
raw.pragma("wal_checkpoint(TRUNCATE)");
raw.close();

function tick(file, refreshCap) {
  const args = [
    "-f",
    "%e %U %S %M",
    process.execPath,
    BIN,
    "--db",
    file,
    "enqueue",
    "--now",
    NOW,
    "--refresh-cap",
    String(refreshCap),
    "--json",
  ];
  const started = performance.now();
  const r = spawnSync("/usr/bin/time", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`enqueue exited ${r.status}: ${r.stderr}`);
  const [, user, system, maxRssKb] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
  const report = JSON.parse(r.stdout);
  return {
    refreshCap,
    wallMs: Math.round(wallMs),
    tickMs: report.durationMs,
    // CPU time is steadier than wall time on a shared machine.
    cpuMs: Math.round((user + system) * 1000),
    maxRssMb: Math.round(maxRssKb / 1024),
    scheduleRuns: report.schedules.reduce((n, s) => n + s.runs.length, 0),
    missedFires: report.missed,
    refreshDue: report.refresh.due,
    refreshEnqueued: report.refresh.enqueued,
  };
}

if (!existsSync("/usr/bin/time")) throw new Error("needs /usr/bin/time (apt-get install time)");
const copies = [200, COMPANIES].map((cap, i) => {
  const file = join(dir, `tick-${i}.db`);
  copyFileSync(db, file);
  return [file, cap];
});
const runs = copies.map(([file, cap]) => tick(file, cap));
console.log(
  JSON.stringify(
    {
      benchmark: "enqueue-tick",
      schedules: SCHEDULES,
      trackedCompanies: COMPANIES,
      seedMs: Math.round(seedMs),
      target: { wallMs: 2000, maxRssMb: 150 },
      runs,
      node: process.version,
    },
    null,
    2,
  ),
);
if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
