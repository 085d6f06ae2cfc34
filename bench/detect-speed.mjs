#!/usr/bin/env node
// Detection time for one 200 KB shop page against the full fingerprint set: facts extraction
// plus matching plus implies/requires resolution, in-process, after a warm-up. Prints JSON.
// Usage: node bench/detect-speed.mjs [--fingerprints DIR] [--iterations N]
import { performance } from "node:perf_hooks";
import { loadWebCore } from "./lib/load-core.mjs";
import { SITES } from "../test/fixtures/web/sites.mjs";

const args = process.argv.slice(2);
const arg = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const iterations = Number(arg("--iterations", "200"));
const extra = args.includes("--fingerprints") ? [arg("--fingerprints")] : [];

const core = await loadWebCore();
const t0 = performance.now();
const set = core.loadFingerprints(extra);
const compileMs = performance.now() - t0;

// A realistic 200 KB page: the WooCommerce fixture's start page with its product grid
// repeated (as a category page with many products would be), scripts and footer kept.
const base = SITES.find((s) => s.name === "cykelverkstan").pages["/"];
const grid = /<section class="product-grid[\s\S]*?<\/section>/.exec(base)[0];
let html = base;
while (html.length < 200 * 1024) html = html.replace("</main>", `${grid}\n</main>`);
const headers = [
  ["server", "nginx/1.24.0"],
  ["content-type", "text/html; charset=utf-8"],
];

const run = () =>
  core.resolveDetections(set, core.matchPage(set, core.extractFacts({ url: "https://cykelverkstan.example/", html, headers })));
for (let i = 0; i < 20; i++) run();
const times = [];
let detections;
// CPU time is reported too: on a shared machine wall time includes waiting for a core.
const cpu0 = process.cpuUsage();
for (let i = 0; i < iterations; i++) {
  const s = performance.now();
  detections = run();
  times.push(performance.now() - s);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
const q = (p) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 100) / 100;
console.log(
  JSON.stringify(
    {
      bench: "detect-speed",
      pageBytes: Buffer.byteLength(html),
      technologies: set.technologies.size,
      fingerprintDirs: set.sources.map((s) => s.dir),
      compileMs: Math.round(compileMs * 10) / 10,
      iterations,
      medianMs: q(0.5),
      p95Ms: q(0.95),
      maxMs: q(1),
      cpuMsPerPage: Math.round(((cpu.user + cpu.system) / 1000 / iterations) * 100) / 100,
      loadAverage: (await import("node:os")).loadavg()[0],
      targetMs: 20,
      detected: detections.map((d) => d.name),
      node: process.version,
    },
    null,
    2,
  ),
);
