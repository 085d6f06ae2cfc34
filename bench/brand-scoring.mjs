#!/usr/bin/env node
// Scoring stored AI answers with the offline scorer: `leadjobs brands score` over N seeded
// answers, wall time and peak memory of the whole process (GNU time's %M when present).
// Usage: node bench/brand-scoring.mjs [--answers 10000] [--runs 3]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { median, ROOT } from "./lib/bundle.mjs";

const { values } = parseArgs({ options: { answers: { type: "string", default: "10000" }, runs: { type: "string", default: "3" } } });
const N = Number(values.answers);
const BIN = join(ROOT, "bin", "leadjobs");
const dir = mkdtempSync(join(tmpdir(), "leadjobs-brandbench-"));
const db = join(dir, "b.db");
try {
  execFileSync(process.execPath, [BIN, "--db", db, "seed", "--companies", "10", "--tracked", "0", "--answers", String(N)], {
    stdio: "ignore",
  });
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const runs = [];
  for (let r = 0; r < Number(values.runs); r++) {
    const raw = new Database(db);
    raw.exec("delete from answer_mention; delete from answer_citation; update answer set scored_at = null, sentiment_scored_at = null");
    raw.close();
    const args = [BIN, "--db", db, "brands", "score", "Budbee", "--position-limit", String(N), "--json"];
    const t = process.hrtime.bigint();
    const res = timeBin
      ? spawnSync(timeBin, ["-f", "%M", process.execPath, ...args], { encoding: "utf8" })
      : spawnSync(process.execPath, args, { encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.status !== 0) throw new Error(res.stderr);
    const out = JSON.parse(res.stdout);
    if (out.answers_scored !== N) throw new Error(`scored ${out.answers_scored}`);
    runs.push({ ms, rssMb: timeBin ? Number(res.stderr.trim().split("\n").pop()) / 1024 : null });
  }
  console.log(
    JSON.stringify(
      {
        answers: N,
        runs: runs.length,
        medianMs: Math.round(median(runs.map((r) => r.ms))),
        peakRssMb: timeBin ? +Math.max(...runs.map((r) => r.rssMb)).toFixed(1) : null,
        answersPerSec: Math.round(N / (median(runs.map((r) => r.ms)) / 1000)),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
