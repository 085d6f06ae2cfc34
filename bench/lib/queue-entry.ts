// What the queue benchmark needs from core (bundled by bench/lib/bundle.mjs).
export { openStore } from "../../src/core/db/connection.ts";
export { enqueueJobs } from "../../src/core/queue/enqueue.ts";
export { parseNdjson } from "../../src/core/queue/ndjson.ts";
export { loadJobType } from "../../src/job-types.ts";
export { parsePayload } from "../../src/core/jobs/payload.ts";
export { runWorker } from "../../src/core/runtime/worker.ts";
export { resolveConfig } from "../../src/core/config.ts";
export { silentLogger } from "../../src/core/types.ts";
