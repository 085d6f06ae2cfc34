// `leadjobs report html` on the seeded demo database (seed 7: 2000 companies, 120 leads, 200 AI
// answers scored, 10 schedules, 38 invoices, 118 share links, plus the jobs of one alerts,
// cleanup and enqueue run). Prints JSON: wall time of the whole command (startup included) as
// cron runs it, and the generation time inside it (collect the data, render the page, from the
// --verbose log: what the target is about, as startup is bench/cold-start.mjs's), median of 5
// runs, and the page size. Target: generation under 1 s.
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
const generation = [];
let last;
for (let i = 0; i < 5; i++) {
  const r = await runCli(["--verbose", "report", "html", "--out", out, "--now", NOW], path);
  if (r.code !== 0) throw new Error(r.stderr);
  last = r;
  generation.push(Number(/page generated in (\d+) ms/.exec(r.stderr)?.[1]));
  runs.push(r.wallMs);
}
runs.sort((a, b) => a - b);
generation.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: "report-html",
    peakRssMb: last.peakRssMb,
    runs: runs.map((ms) => Math.round(ms)),
    wallMedianMs: Math.round(runs[2]),
    generationMs: generation,
    generationMedianMs: generation[2],
    targetMs: 1000,
    pageBytes: statSync(out).size,
  }),
);
