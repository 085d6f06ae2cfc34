#!/usr/bin/env node
// Where enqueue's time goes: `jobs add --from`'s three phases on N noop jobs (parse the NDJSON,
// validate each payload, insert in one transaction), against plainjob's addMany of N jobs,
// alternating in one process on fresh WAL files. Min and median of each over many repetitions:
// on a shared machine the min is the steadier figure (queue-throughput.mjs's median of 3 swings).
// Two ratios to addMany: the whole of `jobs add --from`, and its insert alone (given the payload
// objects, as addMany is: both serialise and insert them in one transaction).
// Usage: node bench/enqueue-phases.mjs [--jobs 10000] [--reps 25]
// Prints one JSON document (milliseconds).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importTs, median, ROOT } from "./lib/bundle.mjs";
import { existingPlainjob, existingStore } from "./lib/existing-db.mjs";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "10000" }, reps: { type: "string", default: "25" } } });
const N = Number(values.jobs);
const REPS = Number(values.reps);
const core = await importTs("bench/lib/queue-entry.ts");
const migrationsDir = join(ROOT, "migrations", "sqlite");
const noop = await core.loadJobType("noop");
const ndjson = Array.from({ length: N }, (_, i) => JSON.stringify({ sleepMs: 0, failTimes: i % 1 })).join("\n");
const times = { parse: [], validate: [], insert: [], total: [], plainjobAddMany: [] };

for (let r = 0; r < REPS; r++) {
  const dir = mkdtempSync(join(tmpdir(), "leadjobs-enqbench-"));
  try {
    const store = await existingStore(core, join(dir, "q.db"), { busyTimeoutMs: 5000, migrationsDir });
    const t0 = performance.now();
    const rows = core.parseNdjson(ndjson, "bench");
    const t1 = performance.now();
    const requests = rows.map(({ value }) => ({ type: "noop", payload: core.parsePayload(noop, value), maxAttempts: 3 }));
    const t2 = performance.now();
    await core.enqueueJobs(store.db, requests, Date.now());
    const t3 = performance.now();
    await store.close();
    times.parse.push(t1 - t0);
    times.validate.push(t2 - t1);
    times.insert.push(t3 - t2);
    times.total.push(t3 - t0);

    const payloads = Array.from({ length: N }, () => ({ sleepMs: 0 }));
    const { queue } = existingPlainjob(join(dir, "p.db"));
    const t4 = performance.now();
    queue.addMany("noop", payloads);
    times.plainjobAddMany.push(performance.now() - t4);
    queue.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x) => +x.toFixed(1);
const summary = (xs) => ({ min: round(Math.min(...xs)), median: round(median(xs)) });
const result = {
  jobs: N,
  reps: REPS,
  node: process.version,
  ms: Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, summary(xs)])),
};
const ratio = (xs) => ({
  min: +(Math.min(...times.plainjobAddMany) / Math.min(...xs)).toFixed(2),
  median: +(median(times.plainjobAddMany) / median(xs)).toFixed(2),
});
result.enqueueNdjsonVsPlainjobAddMany = ratio(times.total);
result.enqueueObjectsVsPlainjobAddMany = ratio(times.insert);
console.log(JSON.stringify(result, null, 2));
