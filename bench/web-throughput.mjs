#!/usr/bin/env node
// Sites per minute at concurrency 5 on the fixture sites, plain-HTTP and browser paths, and
// the peak memory (RSS) of the whole leadjobs process tree, Chromium included. Runs the
// real CLI (`run-batch --url ... --json`) against the local fixture servers. Prints JSON.
// Usage: node bench/web-throughput.mjs [--rounds N] [--concurrency N] [--delay 0ms]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SITES } from "../test/fixtures/web/sites.mjs";
import { startFixtureSites } from "../test/fixtures/web/server.mjs";
import { ROOT } from "./lib/load-core.mjs";

const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const rounds = Number(arg("--rounds", "3"));
const concurrency = arg("--concurrency", "5");
const delay = arg("--delay", "0ms");
const only = arg("--paths", null)?.split(",");

const PATHS = [
  { name: "plain-http", type: "tech_analysis", browser: "never", note: "start page only, no browser" },
  { name: "plain-http-checkout", type: "full_analysis", browser: "never", note: "start, checkout and terms pages over HTTP" },
  { name: "browser", type: "full_analysis", browser: "auto", note: "checkout pages (and script-rendered pages) in Chromium" },
  { name: "browser-always", type: "tech_analysis", browser: "always", note: "every start page rendered in Chromium" },
];

const f = await startFixtureSites({ slowMs: 1000 });
const dir = mkdtempSync(join(tmpdir(), "leadjobs-bench-web-"));
const results = [];
try {
  for (const p of PATHS.filter((x) => !only || only.includes(x.name))) {
    // Each round lists every fixture site again (a fresh query string keeps the URLs distinct).
    const urls = [];
    for (let r = 0; r < rounds; r++) for (const s of SITES) urls.push(`${f.sites[s.name]}?r=${r}`);
    const db = join(dir, `${p.name}.db`);
    const cli = [
      join(ROOT, "bin", "leadjobs"),
      "--db",
      db,
      "run-batch",
      "--type",
      p.type,
      "--browser",
      p.browser,
      "--concurrency",
      concurrency,
      "--delay",
      delay,
      "--allow-private",
      "--json",
      ...urls.flatMap((u) => ["--url", u]),
    ];
    const started = Date.now();
    const child = spawn(process.execPath, cli, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let peak = 0;
    let peakPss = 0;
    const sampler = setInterval(() => {
      const m = treeMemory(child.pid);
      peak = Math.max(peak, m.rss);
      peakPss = Math.max(peakPss, m.pss);
    }, 100);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((r) => child.on("close", r));
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`${p.name}: exit ${code}: ${stderr}`);
    const out = JSON.parse(stdout);
    const items = out.batches.flatMap((b) => b.items);
    results.push({
      path: p.name,
      type: p.type,
      browser: p.browser,
      note: p.note,
      sites: items.length,
      ok: items.filter((i) => i.status === "ok").length,
      seconds: Math.round(seconds * 10) / 10,
      sitesPerMinute: Math.round((items.length / seconds) * 60),
      peakRssMb: Math.round(peak / 1024 / 1024),
      peakPssMb: Math.round(peakPss / 1024 / 1024),
    });
  }
} finally {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  JSON.stringify(
    { bench: "web-throughput", concurrency: Number(concurrency), delay, rounds, results, memoryTargetMb: 600, node: process.version },
    null,
    2,
  ),
);

/**
 * Memory of a process and all its descendants (Chromium's many processes included), in
 * bytes: RSS summed (counts shared pages once per process: an upper bound) and PSS summed
 * (shared pages split between their users: what the tree really takes).
 */
function treeMemory(pid) {
  const children = new Map();
  const rss = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      rss.set(Number(d), Number(fields[21]) * 4096);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  let pss = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop();
    total += rss.get(p) ?? 0;
    try {
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // ended meanwhile
    }
    stack.push(...(children.get(p) ?? []));
  }
  return { rss: total, pss };
}
