import { resolveConfig } from "../../src/core/config.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { jobEndHook } from "../../src/commands/shared/job-ends.ts";
import { runWorker, type WorkerOptions } from "../../src/core/runtime/worker.ts";
import { silentLogger } from "../../src/core/types.ts";
import { loadJobType } from "../../src/job-types.ts";

/** A worker run (concurrency 1, no waiting, the real job types) with `o` overriding its options. */
export function runTestWorker(db: Db, o: Partial<WorkerOptions> = {}) {
  const config = o.config ?? resolveConfig({}, {}, {});
  return runWorker({
    db,
    owner: "test:1",
    concurrency: 1,
    wait: false,
    pollMs: 50,
    leaseMs: 30_000,
    graceMs: 50,
    stop: new AbortController().signal,
    clock: Date.now,
    random: () => 0.5,
    log: silentLogger,
    config,
    onEnded: jobEndHook(config),
    env: {},
    loadJobType,
    ...o,
  });
}
