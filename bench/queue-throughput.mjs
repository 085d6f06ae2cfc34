#!/usr/bin/env node
// Queue throughput on a file database in WAL mode, leadjobs against plainjob in the same run.
// leadjobs: enqueue N noop jobs from NDJSON text (parse + validate + insert, as `jobs add --from`),
// then claim+complete them with the real worker loop and noop handlers, attempt history recorded.
// Enqueue is reported twice against addMany: whole, and its insert alone (enqueueJobs given the
// payload objects, as addMany is given them: both serialise and insert them in one transaction).
// plainjob (devDependency, benchmark only): add one by one, addMany, and its claim+complete calls.
// Both enqueue into a database that exists (created and closed first), and both workers start from
// an empty WAL (the enqueue checkpointed out of it, untimed).
// Bytes written per completed job (claim+complete phase, WAL included, checkpointed at the end):
// write_bytes (what reaches the block layer; Linux /proc/self/io) and wchar (bytes passed to write()).
// Usage: node bench/queue-throughput.mjs [--jobs 10000] [--rounds 3] [--concurrency 5,50]
// (bench/enqueue-phases.mjs times enqueue alone over many repetitions: the steadier figure.)
// Prints one JSON document.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { better, defineQueue } from "plainjob";
import { importTs, median, ROOT } from "./lib/bundle.mjs";
import { existingPlainjob, existingStore, silent } from "./lib/existing-db.mjs";

const { values } = parseArgs({
  options: {
    jobs: { type: "string", default: "10000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "5,50" },
  },
});
const N = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = values.concurrency.split(",").map(Number);
const core = await importTs("bench/lib/queue-entry.ts");
const migrationsDir = join(ROOT, "migrations", "sqlite");
const noop = await core.loadJobType("noop");
const config = core.resolveConfig({}, { HOME: "/tmp" }, {});
const ndjson = Array.from({ length: N }, (_, i) => JSON.stringify({ sleepMs: 0, failTimes: i % 1 })).join("\n");

/** This process's write counters (Linux); null elsewhere. */
const io = () => {
  if (!existsSync("/proc/self/io")) return null;
  const text = readFileSync("/proc/self/io", "utf8");
  const field = (name) => Number(text.match(new RegExp(`^${name}: (\\d+)`, "m"))[1]);
  return { writeBytes: field("write_bytes"), wchar: field("wchar") };
};
const ioPerJob = (before, after) =>
  before && after ? { writeBytes: (after.writeBytes - before.writeBytes) / N, wchar: (after.wchar - before.wchar) / N } : null;

const tmp = () => mkdtempSync(join(tmpdir(), "leadjobs-qbench-"));
const perSec = (n, ms) => Math.round((n / ms) * 1000);

async function leadjobsRound(concurrency) {
  const dir = tmp();
  const store = await existingStore(core, join(dir, "q.db"), { busyTimeoutMs: 5000, migrationsDir });
  try {
    let t = performance.now();
    const rows = core.parseNdjson(ndjson, "bench");
    const requests = rows.map(({ value }) => ({ type: "noop", payload: core.parsePayload(noop, value), maxAttempts: 3 }));
    const inserting = performance.now();
    await core.enqueueJobs(store.db, requests, Date.now());
    const enqueueMs = performance.now() - t;
    const insertMs = performance.now() - inserting;

    store.sqlite.pragma("wal_checkpoint(TRUNCATE)"); // both workers start from an empty WAL
    const ioBefore = io();
    t = performance.now();
    const stop = new AbortController();
    const summary = await core.runWorker({
      db: store.db,
      owner: "bench:1",
      concurrency,
      wait: false,
      pollMs: 1000,
      leaseMs: 30_000,
      graceMs: 1000,
      stop: stop.signal,
      clock: Date.now,
      random: Math.random,
      log: core.silentLogger,
      config,
      env: {},
      loadJobType: core.loadJobType,
    });
    const processMs = performance.now() - t;
    store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = ioPerJob(ioBefore, io());
    const attempts = store.sqlite.prepare("select count(*) from job_attempt where outcome = 'completed'").pluck().get();
    if (summary.completed !== N || attempts !== N)
      throw new Error(`leadjobs completed ${summary.completed}, attempts ${attempts}, expected ${N}`);
    return { enqueueMs, insertMs, processMs, bytes };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function plainjobRound() {
  const dir = tmp();
  const path = join(dir, "p.db");
  const payloads = Array.from({ length: N }, () => ({ sleepMs: 0 }));
  try {
    let db = new Database(path);
    let queue = defineQueue({ connection: better(db), logger: silent });
    let t = performance.now();
    for (const p of payloads) queue.add("noop", p);
    const addMs = performance.now() - t;
    queue.close();
    rmSync(dir, { recursive: true, force: true });

    const dir2 = tmp();
    ({ db, queue } = existingPlainjob(join(dir2, "p.db")));
    t = performance.now();
    queue.addMany("noop", payloads);
    const addManyMs = performance.now() - t;
    db.pragma("wal_checkpoint(TRUNCATE)");
    const ioBefore = io();
    t = performance.now();
    let done = 0;
    for (let job = queue.getAndMarkJobAsProcessing("noop"); job; job = queue.getAndMarkJobAsProcessing("noop")) {
      queue.markJobAsDone(job.id);
      done++;
    }
    const processMs = performance.now() - t;
    db.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = ioPerJob(ioBefore, io());
    if (done !== N) throw new Error(`plainjob processed ${done}`);
    queue.close();
    rmSync(dir2, { recursive: true, force: true });
    return { addMs, addManyMs, processMs, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const medianBytes = (xs) =>
  xs[0].bytes
    ? { writeBytes: Math.round(median(xs.map((x) => x.bytes.writeBytes))), wchar: Math.round(median(xs.map((x) => x.bytes.wchar))) }
    : null;
const results = { jobs: N, rounds: ROUNDS, node: process.version, leadjobs: {}, plainjob: {} };
const lj = Object.fromEntries(CONCURRENCY.map((c) => [c, []]));
const pj = [];
// A first round of each, not counted: the JIT and the file system's first allocations would land
// in the first measured enqueue (a 30 ms operation) and swing its median.
await leadjobsRound(CONCURRENCY[0]);
plainjobRound();
for (let r = 0; r < ROUNDS; r++) {
  for (const c of CONCURRENCY) lj[c].push(await leadjobsRound(c));
  pj.push(plainjobRound());
}
for (const c of CONCURRENCY) {
  results.leadjobs[`concurrency${c}`] = {
    enqueueNdjsonJobsPerSec: perSec(N, median(lj[c].map((x) => x.enqueueMs))),
    enqueueObjectsJobsPerSec: perSec(N, median(lj[c].map((x) => x.insertMs))),
    claimCompleteJobsPerSec: perSec(N, median(lj[c].map((x) => x.processMs))),
    bytesWrittenPerJob: medianBytes(lj[c]),
  };
}
results.plainjob = {
  addJobsPerSec: perSec(N, median(pj.map((x) => x.addMs))),
  addManyJobsPerSec: perSec(N, median(pj.map((x) => x.addManyMs))),
  claimCompleteJobsPerSec: perSec(N, median(pj.map((x) => x.processMs))),
  bytesWrittenPerJob: medianBytes(pj),
};
// Every round enqueues the same way, whatever its concurrency: the ratios take all of them.
const enqueueAll = (ms) => perSec(N, median(CONCURRENCY.flatMap((c) => lj[c].map(ms))));
results.ratios = {
  enqueueNdjsonVsPlainjobAddMany: +(enqueueAll((x) => x.enqueueMs) / results.plainjob.addManyJobsPerSec).toFixed(2),
  enqueueObjectsVsPlainjobAddMany: +(enqueueAll((x) => x.insertMs) / results.plainjob.addManyJobsPerSec).toFixed(2),
  claimCompleteVsPlainjob: Object.fromEntries(
    CONCURRENCY.map((c) => [
      `concurrency${c}`,
      +(results.leadjobs[`concurrency${c}`].claimCompleteJobsPerSec / results.plainjob.claimCompleteJobsPerSec).toFixed(2),
    ]),
  ),
};
console.log(JSON.stringify(results, null, 2));
