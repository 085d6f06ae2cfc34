// Shared helpers of the back-office benchmarks: a fresh migrated database, fixtures written
// with raw SQL (fast), and the real CLI run as a child with wall time and peak memory.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BIN = join(ROOT, "bin", "leadjobs");
export const NOW = "2026-11-22T08:00:00.000Z";

const made = [];
process.on("exit", () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A migrated database in a fresh directory under bench/results/ (git-ignored), removed on exit. */
export function freshDb(name) {
  const base = join(ROOT, "bench", "results");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${name}-`));
  made.push(dir);
  const path = join(dir, "bench.db");
  // A worker run on an empty queue creates and migrates the file (commands that only read refuse a missing one).
  execFileSync(process.execPath, [BIN, "--db", path, "process"], { stdio: "ignore" });
  return { dir, path, sqlite: new BetterSqlite3(path) };
}

export function addTenant(sqlite) {
  sqlite
    .prepare(`insert into tenant (slug, name, orgnr, vat_number, street, postcode, town, registered_office, f_skatt, bankgiro, created_at, updated_at)
    values ('bench', 'Bänkbygg AB', '5560160680', 'SE556016068001', 'Storgatan 1', '111 22', 'Stockholm', 'Stockholm', 1, '5050-1055', ?, ?)`)
    .run(NOW, NOW);
  sqlite.prepare("insert into app_user (username, email, role, created_at) values ('admin', 'admin@bench.se', 'admin', ?)").run(NOW);
  sqlite.prepare("insert into tenant_member (tenant_id, user_id, role, created_at) values (1, 1, 'admin', ?)").run(NOW);
  sqlite
    .prepare(`insert into client (tenant_id, name, orgnr, vat_number, street, postcode, town, created_at, updated_at)
    values (1, 'Kund AB', '5566778899', 'SE556677889901', 'Industrivägen 4', '721 30', 'Västerås', ?, ?)`)
    .run(NOW, NOW);
}

/** Runs the CLI; resolves with exit code, stdout, wall time and the child's peak RSS (VmHWM, Linux). */
export function runCli(args, db, env = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, "--db", db, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let peakKb = null;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
      } catch {
        // gone, or not Linux
      }
    }, 20);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({
        code,
        stdout,
        stderr,
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
        peakRssMb: peakKb === null ? null : Math.round(peakKb / 102.4) / 10,
      });
    });
  });
}

export function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { n: v.length, min: v[0], median: at(0.5), p95: at(0.95), max: v[v.length - 1] };
}
