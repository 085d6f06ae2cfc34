#!/usr/bin/env node
// Cold start: wall time of `leadjobs status` on a database with 100,000 jobs, against bare
// `node -e 0` in the same run (alternating, medians), and peak memory of the status process;
// also the idle cron paths: `process` with nothing due (one job, not due until 2099), `--version`,
// and on the seeded demo (`seed`, its schedules moved to 2099, its company refreshes enqueued):
// `enqueue` with nothing due (default cap and --refresh-cap 0), `status` and `status --check`.
// Peak memory comes from GNU time (`/usr/bin/time -f %M`, Debian package `time`) when present.
// Usage: node bench/cold-start.mjs [--jobs 100000] [--runs 15]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { median, ROOT } from "./lib/bundle.mjs";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "100000" }, runs: { type: "string", default: "15" } } });
const JOBS = Number(values.jobs);
const RUNS = Number(values.runs);
const BIN = join(ROOT, "bin", "leadjobs");
const dir = mkdtempSync(join(tmpdir(), "leadjobs-cold-"));
const db = join(dir, "status.db");
const idleDb = join(dir, "idle.db");
const seededDb = join(dir, "seeded.db");

try {
  const file = join(dir, "jobs.ndjson");
  writeFileSync(file, Array.from({ length: JOBS }, (_, i) => JSON.stringify({ sleepMs: i % 100 })).join("\n"));
  execFileSync(process.execPath, [BIN, "--db", db, "jobs", "add", "noop", "--from", file], { stdio: "ignore" });
  // A realistic mix: most work done, some pending, a few dead and running.
  const raw = new Database(db);
  raw.exec(`
    update job set state = 'completed', finished_at = updated_at, attempts = 1 where id % 10 < 7;
    update job set state = 'dead', finished_at = updated_at, attempts = 3, last_error = 'boom' where id % 100 = 99;
    update job set state = 'running', attempts = 1, lease_owner = 'bench:1', lease_token = 1, lease_expires_at = '2099-01-01T00:00:00.000Z' where id % 1000 = 7;
    insert into job_attempt (job_id, attempt, token, worker, started_at, finished_at, outcome, duration_ms)
      select id, 1, 1, 'bench:1', updated_at, updated_at, case state when 'dead' then 'failed' else 'completed' end, 3 from job where state in ('completed', 'dead');
  `);
  raw.close();
  execFileSync(process.execPath, [BIN, "--db", idleDb, "jobs", "add", "noop", "--run-at", "2099-01-01T00:00:00Z"], { stdio: "ignore" });
  execFileSync(process.execPath, [BIN, "--db", seededDb, "seed"], { stdio: "ignore" });
  const seeded = new Database(seededDb);
  seeded.exec("update schedule set next_fire_at = '2099-01-01T00:00:00.000Z' where next_fire_at is not null");
  seeded.close();
  for (let due = 1; due > 0; ) {
    const tick = JSON.parse(execFileSync(process.execPath, [BIN, "--db", seededDb, "enqueue", "--json"], { encoding: "utf8" }));
    due = tick.refresh.deferred;
  }

  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const measure = (args, okCodes = [0]) => {
    const started = process.hrtime.bigint();
    const r = timeBin
      ? spawnSync(timeBin, ["-f", "%M", process.execPath, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] })
      : spawnSync(process.execPath, args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!okCodes.includes(r.status)) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    const rssKb = timeBin ? Number(String(r.stderr).trim().split("\n").pop()) : null;
    return { ms, rssKb };
  };
  const bare = [];
  const status = [];
  const statusJson = [];
  const idleProcess = [];
  const version = [];
  const enqueueIdle = [];
  const enqueueCap0 = [];
  const statusSeeded = [];
  const statusCheck = [];
  measure(["-e", "0"]);
  measure([BIN, "--db", db, "status"]);
  for (let i = 0; i < RUNS; i++) {
    bare.push(measure(["-e", "0"]));
    status.push(measure([BIN, "--db", db, "status"]));
    statusJson.push(measure([BIN, "--db", db, "status", "--json"]));
    idleProcess.push(measure([BIN, "--db", idleDb, "process"]));
    version.push(measure([BIN, "--version"]));
    enqueueIdle.push(measure([BIN, "--db", seededDb, "enqueue"]));
    enqueueCap0.push(measure([BIN, "--db", seededDb, "enqueue", "--refresh-cap", "0"]));
    statusSeeded.push(measure([BIN, "--db", seededDb, "status"]));
    statusCheck.push(measure([BIN, "--db", seededDb, "status", "--check"], [0, 1])); // the demo's back office is unhealthy: exit 1
  }
  const summary = (xs) => ({
    medianMs: +median(xs.map((x) => x.ms)).toFixed(1),
    peakRssMb: timeBin ? +(Math.max(...xs.map((x) => x.rssKb)) / 1024).toFixed(1) : null,
  });
  const out = {
    jobs: JOBS,
    runs: RUNS,
    node: process.version,
    bareNode: summary(bare),
    status: summary(status),
    statusJson: summary(statusJson),
    idleProcess: summary(idleProcess),
    version: summary(version),
    enqueueIdle: summary(enqueueIdle),
    enqueueRefreshCap0: summary(enqueueCap0),
    statusSeeded: summary(statusSeeded),
    statusCheckSeeded: summary(statusCheck),
  };
  out.ratioStatusToBareNode = +(out.status.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioIdleProcessToBareNode = +(out.idleProcess.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioVersionToBareNode = +(out.version.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioEnqueueIdleToBareNode = +(out.enqueueIdle.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioEnqueueRefreshCap0ToBareNode = +(out.enqueueRefreshCap0.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioStatusSeededToBareNode = +(out.statusSeeded.medianMs / out.bareNode.medianMs).toFixed(2);
  out.ratioStatusCheckSeededToBareNode = +(out.statusCheckSeeded.medianMs / out.bareNode.medianMs).toFixed(2);
  console.log(JSON.stringify(out, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
