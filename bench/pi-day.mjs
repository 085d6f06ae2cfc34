#!/usr/bin/env node
// A full day on a Raspberry Pi's budget: the seeded demo's crontab.example, run for 24 simulated
// hours — `enqueue` + `process --max-runtime 4m`, `invoice-pdf --pending` and the dashboard every
// 5 minutes, `alerts` every 15, `status --check` every 30, `cleanup` at 02:00 — each run under
// faketime at its minute, one after the other. The seeded companies' websites point at the local
// fixture sites (127.0.0.1), lead analysis uses the offline `rules` provider.
// Reports total CPU seconds of all runs, Chromium included (children's utime + stime from
// /proc/self/stat), the peak RSS of the largest single process of any run (GNU time's %M, Debian
// package `time`: a node process or one Chromium process, not their sum), and bytes written to
// disk (write_bytes of /proc/self/io, which the kernel adds up from every reaped descendant; WAL,
// checkpoints and the PDFs and dashboard included) and, beside it, cancelledBytes: what of that
// never reached the disk (see writtenBytes()); the disk got writtenBytes - cancelledBytes.
// Wall time is long: the first ticks refresh the 400 seeded trackings through the browser, as a
// real Pi would.
// Usage: node bench/pi-day.mjs [--hours 24] [--start 2026-12-10T00:00:00Z] [--keep DIR]
// Needs faketime (apt-get install faketime) and GNU time (apt-get install time).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { SITES } from "../test/fixtures/web/sites.mjs";
import { startFixtureSites } from "../test/fixtures/web/server.mjs";
import { ROOT } from "./lib/bundle.mjs";

const { values } = parseArgs({
  options: {
    hours: { type: "string", default: "24" },
    start: { type: "string", default: "2026-12-10T00:00:00Z" },
    keep: { type: "string" },
  },
});
for (const [tool, pkg] of [
  ["faketime", "faketime"],
  ["/usr/bin/time", "time"],
]) {
  if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
    console.error(`${tool} missing (apt-get install -y ${pkg})`);
    process.exit(69);
  }
}

const STEP_MIN = 5;
const start = Date.parse(values.start);
const steps = Math.round((Number(values.hours) * 60) / STEP_MIN);
const dir = values.keep ?? mkdtempSync(join(tmpdir(), "leadjobs-pi-day-"));
mkdirSync(dir, { recursive: true });
const db = join(dir, "leadjobs.db");
const config = join(dir, "config.json");
const dashboard = join(dir, "dashboard.html");
const BIN = join(ROOT, "bin", "leadjobs");
const CLK_TCK = 100; // USER_HZ: the unit of /proc/<pid>/stat times on Linux

/** Children's CPU seconds so far (cutime + cstime of this process: every reaped child). */
function childCpuSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/**
 * Bytes written so far, and of them cancelled: pages dirtied in files deleted or truncated before
 * they reached the disk. Every process creates SQLite's 32 KB -shm file and deletes it at close, and
 * Chromium's profile goes with the browser, so only their difference reached the disk.
 */
function writtenBytes() {
  const io = readFileSync("/proc/self/io", "utf8");
  return { written: Number(/write_bytes: (\d+)/.exec(io)[1]), cancelled: Number(/cancelled_write_bytes: (\d+)/.exec(io)[1]) };
}

const fakeTime = (ms) => `@${new Date(ms).toISOString().replace("T", " ").slice(0, 19)}`;

/** One cron run at simulated time `ms`: CPU, peak RSS and bytes written, measured around it. */
function run(kind, ms, args) {
  const rssFile = join(dir, "rss.txt");
  const before = { cpu: childCpuSeconds(), ...writtenBytes() };
  return new Promise((resolve, reject) => {
    const child = spawn(
      "/usr/bin/time",
      ["-f", "%M", "-o", rssFile, "faketime", "-f", fakeTime(ms), process.execPath, BIN, "--db", db, "--config", config, ...args],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TZ: "UTC", NO_COLOR: "1" } },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const after = writtenBytes();
      resolve({
        kind,
        code,
        stderr: stderr.trim(),
        cpu: childCpuSeconds() - before.cpu,
        written: after.written - before.written,
        cancelled: after.cancelled - before.cancelled,
        rssKb: Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()),
      });
    });
  });
}

/** The crontab.example lines due at simulated minute `ms` (UTC here; the schedules keep their zones). */
function cronLines(ms) {
  const d = new Date(ms);
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  const lines = [
    ["enqueue", ["enqueue"]],
    ["process", ["process", "--max-runtime", "4m"]],
    ["invoice-pdf", ["invoice-pdf", "--pending"]],
    ["report html", ["report", "html", "--out", dashboard]],
  ];
  if (minute % 15 === 0) lines.push(["alerts", ["alerts"]]);
  if (minute % 30 === 0) lines.push(["status --check", ["status", "--check"]]);
  if (minute === 2 * 60) lines.push(["cleanup", ["cleanup"]]);
  return lines;
}

const sites = await startFixtureSites({ slowMs: 1000 });
try {
  writeFileSync(config, JSON.stringify({ webAllowPrivate: true, storageRoot: join(dir, "storage") }));
  const seeded = await run("seed", start - 60_000, ["seed", "--now", new Date(start - 60_000).toISOString()]);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  // Seeded websites are reserved `.example` names: point them at the local fixture sites instead.
  const raw = new Database(db);
  const ids = raw.prepare("select orgnr from company where website is not null order by orgnr").pluck().all();
  const update = raw.prepare("update company set website = ? where orgnr = ?");
  raw.transaction(() => ids.forEach((id, i) => update.run(`${sites.sites[SITES[i % SITES.length].name]}?c=${id}`, id)))();
  raw.close();

  const runs = [];
  for (let i = 0; i < steps; i++) {
    const ms = start + i * STEP_MIN * 60_000;
    for (const [kind, args] of cronLines(ms)) runs.push(await run(kind, ms, args));
  }
  const status = spawnSync(process.execPath, [BIN, "--db", db, "status", "--json"], { encoding: "utf8" });
  const byKind = {};
  for (const r of runs) {
    const k = (byKind[r.kind] ??= { runs: 0, cpuSeconds: 0, peakRssMb: 0, writtenBytes: 0, cancelledBytes: 0, failedRuns: 0 });
    k.runs++;
    k.cpuSeconds += r.cpu;
    k.peakRssMb = Math.max(k.peakRssMb, r.rssKb / 1024);
    k.writtenBytes += r.written;
    k.cancelledBytes += r.cancelled;
    if (r.code !== 0 && !(r.kind === "status --check" && r.code === 1)) k.failedRuns++;
  }
  for (const k of Object.values(byKind)) {
    k.cpuSeconds = Number(k.cpuSeconds.toFixed(2));
    k.peakRssMb = Number(k.peakRssMb.toFixed(1));
  }
  const failures = runs.filter((r) => r.code !== 0 && !(r.kind === "status --check" && r.code === 1));
  const fileBytes = ["", "-wal", "-shm"].reduce((s, x) => s + (existsSync(db + x) ? statSync(db + x).size : 0), 0);
  console.log(
    JSON.stringify(
      {
        simulated: { hours: Number(values.hours), from: new Date(start).toISOString(), runs: runs.length },
        total: {
          cpuSeconds: Number(runs.reduce((s, r) => s + r.cpu, 0).toFixed(2)),
          peakRssMb: Number((Math.max(...runs.map((r) => r.rssKb)) / 1024).toFixed(1)),
          writtenBytes: runs.reduce((s, r) => s + r.written, 0),
          cancelledBytes: runs.reduce((s, r) => s + r.cancelled, 0),
          databaseBytesAtEnd: fileBytes,
        },
        byKind,
        queueAtEnd: status.status === 0 ? JSON.parse(status.stdout).queue.counts : status.stderr.trim(),
        failedRuns: failures.slice(0, 5).map((r) => ({ kind: r.kind, code: r.code, stderr: r.stderr.slice(0, 300) })),
      },
      null,
      2,
    ),
  );
} finally {
  await sites.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
