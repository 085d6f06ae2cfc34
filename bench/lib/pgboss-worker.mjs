// A pg-boss 10 worker process for bench/postgres-queue.mjs (forked; not part of leadjobs).
// Usage: node bench/lib/pgboss-worker.mjs URL CONCURRENCY drain|idle
// drain: loops fetch('noop', { batchSize: CONCURRENCY }) → run the no-op handlers at once →
//   complete('noop', ids), until a fetch comes back empty; prints {"completed": n}. (pg-boss 10's
//   work() waits pollingIntervalSeconds, at least 0.5 s, after every fetch, even a full one, so it
//   cannot go faster than batchSize / 0.5 s per worker; fetch + complete are its public API too.)
//   No maintenance (supervise: false), so nothing archives or deletes the completed jobs meanwhile.
// idle: a plain work('noop') worker with pg-boss's defaults (maintenance included), until SIGTERM.
import PgBoss from "pg-boss";

const [url, concurrencyArg, mode] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const noop = async () => undefined;

if (mode === "idle") {
  const boss = new PgBoss({ connectionString: url, migrate: false });
  boss.on("error", () => undefined);
  await boss.start();
  await boss.work("noop", { batchSize: concurrency }, async (jobs) => Promise.all(jobs.map(noop)));
  process.send?.("ready");
  process.on("SIGTERM", () => void boss.stop({ graceful: false, wait: false }).finally(() => process.exit(0)));
} else {
  const boss = new PgBoss({ connectionString: url, migrate: false, supervise: false, schedule: false, max: 4 });
  boss.on("error", (e) => console.error(e));
  await boss.start();
  let completed = 0;
  for (;;) {
    const jobs = await boss.fetch("noop", { batchSize: concurrency });
    if (jobs.length === 0) break;
    await Promise.all(jobs.map(noop));
    await boss.complete(
      "noop",
      jobs.map((j) => j.id),
    );
    completed += jobs.length;
  }
  await boss.stop({ graceful: false, wait: true });
  process.stdout.write(`${JSON.stringify({ completed })}\n`);
  process.exit(0);
}
