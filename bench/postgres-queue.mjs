#!/usr/bin/env node
// Queue throughput on one local PostgreSQL: leadjobs against pg-boss 10 and graphile-worker 0.16
// (devDependencies, benchmark only), side by side in one run, each in a database of its own that
// this script creates and drops.
//
// 1. Bulk enqueue of N no-op jobs, in this process, with each library's fastest bulk API:
//    leadjobs enqueueJobs() from core (what `leadjobs jobs add --from -` calls: one transaction);
//    pg-boss insert([...]) (one statement over json_to_recordset); graphile-worker's SQL
//    add_jobs(job_spec[]) (its documented bulk API; WorkerUtils.addJob is one job per call).
// 2. Claim+complete of those N jobs by P worker processes at concurrency C, timed from spawning
//    the processes until all of them exited with the queue drained (process start-up included,
//    for all three): leadjobs = real `bin/leadjobs --db URL process --concurrency C` processes
//    (the `noop` job type, sleepMs 0), which keep every job row and one job_attempt row per
//    attempt; pg-boss = bench/lib/pgboss-worker.mjs (fetch batchSize C + complete(ids), maintenance
//    off so completed jobs stay in pgboss.job); graphile-worker = bench/lib/graphile-worker.mjs
//    (runOnce, concurrency C), which DELETES each job as it completes (no history).
// 3. Idle cost: statements (pg_stat_statements, when the server loads it) and transactions
//    (pg_stat_database.xact_commit + xact_rollback) per minute of an idle waiting worker on an
//    empty queue, each library in its own database, measured at the same time: `leadjobs process
//    --wait`, a pg-boss work() worker and a graphile-worker run(), all with default settings.
//
// Usage: node bench/postgres-queue.mjs [--url URL | --server DIR] [--jobs 20000]
//   [--procs 1,2,4] [--concurrency 5,50] [--rounds 1] [--idle-seconds 60] [--libs leadjobs,graphile,pgboss] [--json]
// The server: --url, else env LEADJOBS_BENCH_POSTGRES (an admin URL such as
// postgres://postgres@127.0.0.1:5432/postgres). --server DIR instead initialises and starts a
// server of its own in DIR with PostgreSQL's durable defaults (fsync, synchronous_commit and
// full_page_writes on; pg_stat_statements loaded; max_connections 300) and stops it at the end.
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import PgBoss from "pg-boss";
import { runMigrations } from "graphile-worker";
import { importTs, median, ROOT } from "./lib/bundle.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    server: { type: "string" },
    jobs: { type: "string", default: "20000" },
    procs: { type: "string", default: "1,2,4" },
    concurrency: { type: "string", default: "5,50" },
    rounds: { type: "string", default: "1" },
    "idle-seconds": { type: "string", default: "60" },
    libs: { type: "string", default: "leadjobs,graphile,pgboss" },
    json: { type: "boolean", default: false },
  },
});
const N = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const PROCS = values.procs.split(",").map(Number);
const CONCURRENCY = values.concurrency.split(",").map(Number);
const IDLE_S = Number(values["idle-seconds"]);
const LIBS = values.libs.split(",");
const NAMES = { leadjobs: "leadjobs", graphile: "graphile-worker 0.16", pgboss: "pg-boss 10" };
const BIN = join(ROOT, "bin", "leadjobs");
const log = (...a) => console.error(...a);
const perSec = (n, ms) => Math.round((n / ms) * 1000);

// ---------------------------------------------------------------------------------------------
// The server

/** Starts a server with PostgreSQL's durable defaults in `dir`; returns its admin URL and a stop(). */
async function startDurableServer(dir) {
  const bin = readdirSync("/usr/lib/postgresql")
    .map((v) => `/usr/lib/postgresql/${v}/bin`)
    .filter((d) => existsSync(`${d}/initdb`))
    .at(-1);
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql");
  const asOwner = (cmd, args) => (process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);
  const run = (cmd, args) => execFileSync(...asOwner(cmd, args), { stdio: ["ignore", "ignore", "inherit"] });
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const data = join(dir, "data");
  if (!existsSync(data)) run(`${bin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres"]);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements`;
  run(`${bin}/pg_ctl`, ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", opts, "start"]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run(`${bin}/pg_ctl`, ["-D", data, "-m", "fast", "-w", "stop"]),
  };
}

const server = values.server ? await startDurableServer(values.server) : undefined;
const ADMIN = values.url ?? server?.url ?? process.env.LEADJOBS_BENCH_POSTGRES;
if (!ADMIN) {
  log("usage: node bench/postgres-queue.mjs --url postgres://…/postgres (or env LEADJOBS_BENCH_POSTGRES, or --server DIR)");
  process.exit(2);
}
const dbUrl = (name) => {
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
};
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
const q = async (text, params) => (await admin.query(text, params)).rows;

const SETTINGS = [
  "server_version",
  "fsync",
  "synchronous_commit",
  "full_page_writes",
  "wal_level",
  "shared_buffers",
  "max_connections",
  "shared_preload_libraries",
];
const settings = {};
for (const s of SETTINGS) settings[s] = (await q(`show ${s}`))[0][s];
const hasStatements = settings.shared_preload_libraries.includes("pg_stat_statements");
if (hasStatements) await q("create extension if not exists pg_stat_statements");

const prefix = `pgbench_${process.pid}`;
const DBS = { leadjobs: `${prefix}_leadjobs`, graphile: `${prefix}_graphile`, pgboss: `${prefix}_pgboss` };
const created = [];
async function createDb(name) {
  await q(`drop database if exists ${name}`);
  await q(`create database ${name}`);
  created.push(name);
}
async function dropDbs() {
  for (const name of created) await q(`drop database if exists ${name} with (force)`).catch((e) => log(`drop ${name}: ${e.message}`));
}

// ---------------------------------------------------------------------------------------------
// Per library: install, reset, bulk enqueue, check, worker command

/** A client on a library's database, for resets and checks. */
const clients = {};
async function clientOf(lib) {
  if (!clients[lib]) {
    clients[lib] = new pg.Client({ connectionString: dbUrl(DBS[lib]) });
    await clients[lib].connect();
  }
  return clients[lib];
}
const sqlOn = async (lib, text, params) => (await (await clientOf(lib)).query(text, params)).rows;

const core = await importTs("bench/lib/queue-entry.ts");
let ljStore;
let boss;

const libs = {
  leadjobs: {
    async install() {
      ljStore = await core.openStore(dbUrl(DBS.leadjobs), { busyTimeoutMs: 10_000, migrationsDir: join(ROOT, "migrations", "postgres") });
    },
    reset: () => sqlOn("leadjobs", "truncate job, job_attempt restart identity cascade"),
    async enqueue() {
      // As `jobs add noop --from -`: parse and validate each NDJSON line, insert all in one transaction
      // (maxAttempts 3: the noop type's retry policy, which the command looks up).
      const noop = await core.loadJobType("noop");
      const ndjson = Array.from({ length: N }, () => '{"sleepMs":0}').join("\n");
      const t = performance.now();
      const requests = core
        .parseNdjson(ndjson, "bench")
        .map(({ value }) => ({ type: "noop", payload: core.parsePayload(noop, value), maxAttempts: 3 }));
      await core.enqueueJobs(ljStore.db, requests, Date.now());
      return performance.now() - t;
    },
    worker: (c) => [BIN, ["--db", dbUrl(DBS.leadjobs), "process", "--concurrency", String(c), "--json"]],
    idleWorker: (c) => [BIN, ["--db", dbUrl(DBS.leadjobs), "process", "--wait", "--concurrency", String(c)]],
    completedOf: (out) => out.completed,
    async check() {
      const [r] = await sqlOn(
        "leadjobs",
        `select (select count(*) from job where state = 'completed')::int as jobs,
                (select count(*) from job_attempt where outcome = 'completed')::int as attempts,
                (select count(*) from job where state <> 'completed')::int as left`,
      );
      if (r.jobs !== N || r.attempts !== N || r.left !== 0) throw new Error(`leadjobs: ${JSON.stringify(r)}, expected ${N} completed`);
      return `${r.jobs} job rows completed, ${r.attempts} job_attempt rows`;
    },
  },
  pgboss: {
    async install() {
      boss = new PgBoss({ connectionString: dbUrl(DBS.pgboss), supervise: false, schedule: false });
      boss.on("error", (e) => log(`pg-boss: ${e.message}`));
      await boss.start();
      await boss.createQueue("noop");
    },
    reset: () => sqlOn("pgboss", "truncate pgboss.job, pgboss.archive"),
    async enqueue() {
      const t = performance.now();
      const jobs = Array.from({ length: N }, () => ({ name: "noop", data: { sleepMs: 0 } }));
      await boss.insert(jobs);
      return performance.now() - t;
    },
    worker: (c) => [join(ROOT, "bench", "lib", "pgboss-worker.mjs"), [dbUrl(DBS.pgboss), String(c), "drain"]],
    idleWorker: (c) => [join(ROOT, "bench", "lib", "pgboss-worker.mjs"), [dbUrl(DBS.pgboss), String(c), "idle"]],
    completedOf: (out) => out.completed,
    async check() {
      const [r] = await sqlOn(
        "pgboss",
        `select count(*) filter (where state = 'completed')::int as done, count(*) filter (where state <> 'completed')::int as left,
                (select count(*) from pgboss.archive)::int as archived from pgboss.job where name = 'noop'`,
      );
      if (r.done !== N || r.left !== 0 || r.archived !== 0) throw new Error(`pg-boss: ${JSON.stringify(r)}, expected ${N} completed`);
      return `${r.done} job rows completed (kept), none archived`;
    },
  },
  graphile: {
    async install() {
      await runMigrations({ connectionString: dbUrl(DBS.graphile), logger: undefined });
    },
    reset: () => sqlOn("graphile", "truncate graphile_worker._private_jobs cascade"),
    async enqueue() {
      const t = performance.now();
      const specs = JSON.stringify(Array.from({ length: N }, () => ({ identifier: "noop", payload: { sleepMs: 0 } })));
      await sqlOn(
        "graphile",
        `select count(*) from graphile_worker.add_jobs(
           (select array_agg(s) from json_populate_recordset(null::graphile_worker.job_spec, $1::json) s))`,
        [specs],
      );
      return performance.now() - t;
    },
    worker: (c) => [join(ROOT, "bench", "lib", "graphile-worker.mjs"), [dbUrl(DBS.graphile), String(c), "drain"]],
    idleWorker: (c) => [join(ROOT, "bench", "lib", "graphile-worker.mjs"), [dbUrl(DBS.graphile), String(c), "idle"]],
    completedOf: (out) => out.completed,
    async check() {
      const [r] = await sqlOn("graphile", "select count(*)::int as left from graphile_worker._private_jobs");
      if (r.left !== 0) throw new Error(`graphile-worker: ${r.left} jobs left`);
      return "job rows deleted on completion (no history)";
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Running worker processes

/** Runs a node script to its end; resolves with its parsed JSON stdout. */
function runNode(script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${script} ${args.join(" ")} exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`${script}: no JSON on stdout: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}

async function drainRun(lib, procs, c) {
  const L = libs[lib];
  await L.reset();
  const enqueueMs = await L.enqueue();
  await sqlOn(lib, "analyze");
  const t = performance.now();
  const outs = await Promise.all(Array.from({ length: procs }, () => runNode(...L.worker(c))));
  const ms = performance.now() - t;
  const completed = outs.reduce((s, o) => s + L.completedOf(o), 0);
  if (completed !== N) throw new Error(`${lib}: the workers completed ${completed} jobs, expected ${N}`);
  const kept = await L.check();
  return { enqueueMs, ms, kept, perProcess: outs.map((o) => L.completedOf(o)) };
}

/** Start-up + an empty drain of one worker process (what every drain figure includes). */
async function emptyRun(lib) {
  await libs[lib].reset();
  const t = performance.now();
  await runNode(...libs[lib].worker(5));
  return performance.now() - t;
}

// ---------------------------------------------------------------------------------------------
// Idle cost

async function idleCost() {
  const statements = async () => {
    const rows = hasStatements
      ? await q(
          `select d.datname, sum(s.calls)::bigint as n from pg_stat_statements s join pg_database d on d.oid = s.dbid
           where d.datname = any($1) group by d.datname`,
          [Object.values(DBS)],
        )
      : [];
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.n)]));
  };
  const xacts = async () => {
    const rows = await q("select datname, (xact_commit + xact_rollback)::bigint as n from pg_stat_database where datname = any($1)", [
      Object.values(DBS),
    ]);
    return Object.fromEntries(rows.map((r) => [r.datname, Number(r.n)]));
  };
  for (const lib of LIBS) await libs[lib].reset();
  let stopping = false;
  const children = LIBS.map((lib) => {
    const [script, args] = libs[lib].idleWorker(5);
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    child.stderr.on("data", (d) => {
      if (!stopping) log(`${lib} idle: ${String(d).trim()}`);
    });
    return child;
  });
  try {
    await new Promise((r) => setTimeout(r, 12_000)); // start-up done; pending statistics flushed (PG 15 flushes idle backends' stats within 10 s)
    const s0 = await statements();
    const x0 = await xacts();
    const byQuery0 = await leadjobsStatements();
    const t = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    const minutes = (performance.now() - t) / 60_000;
    await new Promise((r) => setTimeout(r, 11_000)); // let the last window's stats reach pg_stat_database
    const s1 = await statements();
    const x1 = await xacts();
    const byQuery1 = await leadjobsStatements();
    const extraMin = 11_000 / 60_000; // x1 was read 11 s after the window: scale by the whole time elapsed
    const leadjobsByQuery = Object.entries(byQuery1)
      .map(([query, calls]) => ({ calls: calls - (byQuery0[query] ?? 0), query }))
      .filter((x) => x.calls > 0)
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 8);
    const perLib = Object.fromEntries(
      LIBS.map((lib) => {
        const db = DBS[lib];
        return [
          lib,
          {
            statementsPerMin: hasStatements ? Math.round((s1[db] - s0[db]) / (minutes + extraMin)) : null,
            transactionsPerMin: Math.round((x1[db] - x0[db]) / (minutes + extraMin)),
          },
        ];
      }),
    );
    return { perLib, leadjobsByQuery, windowSeconds: Math.round((minutes + extraMin) * 60) };
  } finally {
    stopping = true;
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on("exit", r)) : undefined)));
  }
}

/** Calls per statement text in the leadjobs database (pg_stat_statements only). */
async function leadjobsStatements() {
  if (!hasStatements) return {};
  const rows = await q(
    `select sum(s.calls)::bigint as calls, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 100) as query
     from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1 group by 2`,
    [DBS.leadjobs],
  );
  return Object.fromEntries(rows.map((r) => [r.query, Number(r.calls)]));
}

// ---------------------------------------------------------------------------------------------
// Main

const results = {
  jobs: N,
  rounds: ROUNDS,
  node: process.version,
  server: { ...settings, started: server ? "by this script (--server), durable defaults" : "given (--url / LEADJOBS_BENCH_POSTGRES)" },
  loadAverageStart: loadavg().map((x) => +x.toFixed(2)),
  apis: {
    leadjobs:
      "enqueue: core enqueueJobs() (as `jobs add --from -`, NDJSON parsed and validated); work: `bin/leadjobs process --concurrency C` processes",
    graphile: "enqueue: SQL graphile_worker.add_jobs(job_spec[]); work: runOnce({ concurrency: C, maxPoolSize: max(10, C) }) processes",
    pgboss: "enqueue: insert([...]); work: fetch({ batchSize: C }) + complete(ids) loop processes (work() sleeps ≥ 0.5 s per fetch)",
  },
  history: {},
  enqueueJobsPerSec: {},
  startupMs: {},
  claimComplete: {},
  idle: null,
};
let exitCode = 0;
try {
  for (const lib of LIBS) {
    await createDb(DBS[lib]);
    await libs[lib].install();
  }
  for (const lib of LIBS) results.startupMs[lib] = Math.round(await emptyRun(lib));
  const enqueueMs = Object.fromEntries(LIBS.map((l) => [l, []]));
  for (const procs of PROCS) {
    for (const c of CONCURRENCY) {
      const key = `${procs}x${c}`;
      const samples = Object.fromEntries(LIBS.map((l) => [l, []]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const lib of LIBS) {
          const run = await drainRun(lib, procs, c);
          enqueueMs[lib].push(run.enqueueMs);
          samples[lib].push(run.ms);
          results.history[lib] = run.kept;
          log(
            `${key} ${lib}: ${perSec(N, run.ms)} jobs/s (${Math.round(run.ms)} ms; per process ${run.perProcess.join("/")}); load ${loadavg()[0].toFixed(2)}`,
          );
        }
      }
      results.claimComplete[key] = Object.fromEntries(LIBS.map((l) => [l, perSec(N, median(samples[l]))]));
    }
  }
  for (const lib of LIBS) results.enqueueJobsPerSec[lib] = perSec(N, median(enqueueMs[lib]));
  results.loadAverageEnd = loadavg().map((x) => +x.toFixed(2));
  if (IDLE_S > 0) {
    log(`idle: ${IDLE_S} s of idle waiting workers…`);
    const idle = await idleCost();
    results.idle = idle.perLib;
    results.idleWindowSeconds = idle.windowSeconds;
    results.idleStatementsLeadjobs = idle.leadjobsByQuery;
  }
} catch (e) {
  log(e.stack ?? e);
  exitCode = 1;
} finally {
  await ljStore?.close().catch(() => undefined);
  await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
  for (const c of Object.values(clients)) await c.end().catch(() => undefined);
  await dropDbs();
  await admin.end();
  if (server) server.stop();
}

// ---------------------------------------------------------------------------------------------
// Report

const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : "-");
const has = (l) => LIBS.includes(l);
const rows = [["", "leadjobs", "graphile-worker", "pg-boss", "lj/graphile", "lj/pg-boss"]];
const row = (label, v) =>
  rows.push([
    label,
    v.leadjobs ?? "-",
    v.graphile ?? "-",
    v.pgboss ?? "-",
    has("graphile") ? ratio(v.leadjobs, v.graphile) : "-",
    has("pgboss") ? ratio(v.leadjobs, v.pgboss) : "-",
  ]);
row("enqueue jobs/s (bulk)", results.enqueueJobsPerSec);
for (const [key, v] of Object.entries(results.claimComplete)) {
  const [p, c] = key.split("x");
  row(`claim+complete jobs/s, ${p} proc × conc ${c}`, v);
}
row("worker start-up + empty drain, ms", results.startupMs);
if (results.idle) {
  if (hasStatements) row("idle: statements/min", Object.fromEntries(LIBS.map((l) => [l, results.idle[l].statementsPerMin])));
  row("idle: transactions/min", Object.fromEntries(LIBS.map((l) => [l, results.idle[l].transactionsPerMin])));
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
const lines = rows.map((r) => r.map((x, i) => (i === 0 ? String(x).padEnd(widths[i]) : String(x).padStart(widths[i]))).join("  "));
if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  console.log(
    `PostgreSQL ${settings.server_version}: fsync=${settings.fsync} synchronous_commit=${settings.synchronous_commit} full_page_writes=${settings.full_page_writes} wal_level=${settings.wal_level} shared_buffers=${settings.shared_buffers} max_connections=${settings.max_connections} (${results.server.started})`,
  );
  console.log(
    `N = ${N} no-op jobs per run, ${ROUNDS} round(s), median; Node ${process.version}; load average ${results.loadAverageStart.join(" ")} at start, ${results.loadAverageEnd?.join(" ") ?? "?"} at end (2 cores)`,
  );
  console.log(lines.join("\n"));
  console.log("history kept:");
  for (const lib of LIBS) console.log(`  ${NAMES[lib]}: ${results.history[lib] ?? "?"}`);
  console.log("APIs:");
  for (const lib of LIBS) console.log(`  ${NAMES[lib]}: ${results.apis[lib]}`);
  console.log(
    "Claim+complete runs are timed from spawning the worker processes until all exited with the queue drained (start-up included).",
  );
  if (results.idle) {
    console.log(
      `idle: one waiting worker per library on an empty queue for ${results.idleWindowSeconds} s (leadjobs process --wait; pg-boss work() with defaults; graphile-worker run())`,
    );
    for (const s of results.idleStatementsLeadjobs ?? []) console.log(`  leadjobs idle: ${s.calls} × ${s.query}`);
  }
}
process.exitCode = exitCode;
