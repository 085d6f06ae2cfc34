// `leadjobs report html` on the seeded demo database (seed 7: 2000 companies, 120 leads, 200 AI
// answers scored, 10 schedules, 38 invoices, 118 share links, plus the jobs of one alerts,
// cleanup and enqueue run). Prints JSON: wall time of the whole command (startup included) as
// cron runs it, median of 5 runs, and the page size. Target: under 1 s.
// Usage: node bench/report-html.mjs
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { BIN, freshDb, runCli } from "./backoffice-lib.mjs";

const SEED_NOW = "2025-03-10T09:00:00.000Z";
const NOW = "2025-03-10T11:00:30.000Z";
const { dir, path, sqlite } = freshDb("report-html");
sqlite.close();
const cli = (...args) => execFileSync(process.execPath, [BIN, "--db", path, ...args], { stdio: "ignore" });
cli("seed", "--seed", "7", "--now", SEED_NOW);
cli("alerts", "--now", SEED_NOW);
cli("cleanup", "--now", SEED_NOW);
cli("enqueue", "--now", "2025-03-10T10:00:00.000Z");
cli("brands", "score", "Budbee");

const out = join(dir, "dashboard.html");
const runs = [];
let last;
for (let i = 0; i < 5; i++) {
  const r = await runCli(["report", "html", "--out", out, "--now", NOW], path);
  if (r.code !== 0) throw new Error(r.stderr);
  last = r;
  runs.push(r.wallMs);
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({
  bench: "report-html", peakRssMb: last.peakRssMb, runs: runs.map((ms) => Math.round(ms)), medianMs: Math.round(runs[2]), targetMs: 1000,
  pageBytes: statSync(out).size,
}));
