// A graphile-worker 0.16 worker process for bench/postgres-queue.mjs (forked; not part of leadjobs).
// Usage: node bench/lib/graphile-worker.mjs URL CONCURRENCY drain|idle
// drain: runOnce() with `concurrency` workers and a no-op `noop` task: exits when no job is left;
//   prints {"completed": n}. graphile-worker deletes a job when it completes (no history kept).
// idle: run() with its defaults (LISTEN for new jobs, poll every 2 s), until SIGTERM.
import { Logger, run, runOnce } from "graphile-worker";

const [url, concurrencyArg, mode] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
let completed = 0;
const options = {
  connectionString: url,
  concurrency,
  // At least one connection per concurrent job (the default pool is 10).
  maxPoolSize: Math.max(10, concurrency),
  noHandleSignals: true,
  logger: new Logger(() => () => undefined),
  taskList: {
    noop: async () => {
      completed++;
    },
  },
};

if (mode === "idle") {
  const runner = await run(options);
  process.send?.("ready");
  process.on("SIGTERM", () => void runner.stop().finally(() => process.exit(0)));
} else {
  await runOnce(options);
  process.stdout.write(`${JSON.stringify({ completed })}\n`);
  process.exit(0);
}
