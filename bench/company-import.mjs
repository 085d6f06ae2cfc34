// Benchmark: `companies import` of a generated Bolagsverket bulk file of 1.8 million rows (and,
// with --all, a re-import of the same file and SCB's file over it). Prints one JSON document.
//
//   node bench/company-import.mjs [--rows 1800000] [--all] [--keep DIR] [--db postgres://HOST/leadjobs_bench…]
//
// --db with a PostgreSQL URL imports into that database instead of a SQLite file in DIR. The
// database is dropped and created again first, so its name must start with `leadjobs_bench`;
// the role needs CREATEDB. Peak memory is the leadjobs process's (the server's is its own).
//
// Targets (issue 4): under 2 minutes and 300 MB peak memory for the 1.8-million-row import.
// Wall time depends on what else the machine runs: the CPU time and the load average are
// printed too.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const rows = Number(opt("rows", 1_800_000));
const keep = opt("keep", undefined);
const dir = keep ?? mkdtempSync(join(tmpdir(), "leadjobs-bench-import-"));
mkdirSync(dir, { recursive: true });
if (!existsSync(join(root, "dist/cli.js"))) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });

const bv = join(dir, "bolagsverket_bulkfil.txt");
const scb = join(dir, "scb_bulkfil_JE.txt");
const pgUrl = /^postgres(ql)?:\/\//.test(opt("db", "")) ? opt("db") : undefined;
const db = pgUrl ?? join(dir, "register.db");
/** Runs one statement with psql on the PostgreSQL database (or, with `admin`, the server's `postgres` database). */
const psql = (sql, admin = false) => {
  const u = new URL(pgUrl);
  if (admin) u.pathname = "/postgres";
  return execFileSync("psql", ["-qXAt", "-v", "ON_ERROR_STOP=1", "-c", sql, u.toString()], { encoding: "utf8" }).trim();
};
if (!existsSync(bv) || (args.includes("--all") && !existsSync(scb))) {
  execFileSync(
    process.execPath,
    [join(root, "bench/generate-register.mjs"), "--rows", String(rows), "--out", bv, ...(args.includes("--all") ? ["--scb", scb] : [])],
    { stdio: ["ignore", 2, 2] }, // its report to stderr: stdout is this benchmark's one JSON document
  );
}
if (pgUrl) {
  const name = decodeURIComponent(new URL(pgUrl).pathname.slice(1));
  if (!/^leadjobs_bench\w*$/.test(name))
    throw new Error(`--db: the database is dropped first, so its name must start with leadjobs_bench (not "${name}")`);
  psql(`drop database if exists ${name} with (force)`, true);
  psql(`create database ${name}`, true);
} else for (const s of ["", "-wal", "-shm"]) rmSync(db + s, { force: true });

function importFile(file) {
  const out = join(dir, "measure.ndjson");
  rmSync(out, { force: true });
  const load = loadavg()[0];
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, "bench/measure-cli.mjs"), "--db", db, "companies", "import", file, "--json"], {
    cwd: root,
    env: { ...process.env, LEADJOBS_BENCH_OUT: out, LEADJOBS_CONFIG: undefined },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const wallMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  const m = JSON.parse(readFileSync(out, "utf8").trim().split("\n").pop());
  return {
    file: file.split("/").pop(),
    fileMb: Math.round(statSync(file).size / 1e6),
    wallMs,
    cpuMs: m.cpuMs,
    maxRssMb: m.maxRssMb,
    loadAverageBefore: Math.round(load * 100) / 100,
    rows: summary.rows,
    imported: summary.imported,
    updated: summary.updated,
    unchanged: summary.unchanged,
    rejected: summary.rejected,
    skipped: summary.skipped,
    indexOptimizeMs: summary.indexOptimizeMs,
  };
}

const result = {
  benchmark: "companies import",
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  targets: { wallMs: 120_000, maxRssMb: 300 },
};
result.import = importFile(bv);
if (args.includes("--all")) {
  result.reimport = importFile(bv);
  result.scbOverBolagsverket = importFile(scb);
}
result.dbMb = Math.round((pgUrl ? Number(psql("select pg_database_size(current_database())")) : statSync(db).size) / 1e6);
if (pgUrl) {
  result.postgres = {
    version: psql("show server_version"),
    settings: Object.fromEntries(
      psql(
        "select name || '=' || setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'maintenance_work_mem', 'max_wal_size', 'work_mem')",
      )
        .split("\n")
        .map((l) => l.split("=")),
    ),
  };
}
result.met = result.import.wallMs < 120_000 && result.import.maxRssMb < 300;
result.db = pgUrl ? pgUrl.replace(/\/\/[^@/]*@/, "//") : db;
console.log(JSON.stringify(result, null, 2));
if (!keep) rmSync(dir, { recursive: true, force: true });
