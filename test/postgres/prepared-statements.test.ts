// The queue's hot statements (claim, finish, a worker cycle's finish-and-claim) run on PostgreSQL
// as named prepared statements (src/core/db/prepared.postgres.ts): parsed once per connection,
// planned once after a few runs. Each connection holds them under its own names, and a job still
// runs exactly once.
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/core/db/connection.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { tempDir } from "../helpers/store.ts";
import { runTestWorker } from "../helpers/worker.ts";

describe.skipIf(!onPostgres)("the queue's statements on PostgreSQL", () => {
  it("are prepared once per connection and reused, every job run once", async () => {
    const path = join(tempDir(), "prepared.db");
    // One connection, so the statements the worker prepared are this session's to see.
    const store = await openStore(testDatabase(path), { busyTimeoutMs: 5000, poolSize: 1 });
    try {
      const work = (concurrency: number) => runTestWorker(store.db, { concurrency });
      const add = (n: number) =>
        enqueueJobs(
          store.db,
          Array.from({ length: n }, () => ({ type: "noop", payload: { sleepMs: 0 }, maxAttempts: 3 })),
          Date.now(),
        );
      await add(40);
      expect(await work(4)).toMatchObject({ claimed: 40, completed: 40 });
      const prepared = async () =>
        (
          await sql<{ name: string; statement: string }>`
            select name, statement from pg_prepared_statements where name like 'leadjobs\\_%' order by name`.execute(store.db)
        ).rows;
      const first = await prepared();
      expect(first.length).toBeGreaterThan(0);
      expect(first.every((p) => p.statement.startsWith("/* prepared */"))).toBe(true);
      expect(first.some((p) => /for update skip locked/.test(p.statement))).toBe(true);

      // A second run on the same connection reuses them: no new names, every job once.
      await add(40);
      expect(await work(4)).toMatchObject({ claimed: 40, completed: 40 });
      expect((await prepared()).map((p) => p.name)).toEqual(first.map((p) => p.name));
      const attempts = await sql<{ n: number }>`select count(*)::int as n from job_attempt where outcome = 'completed'`.execute(store.db);
      expect(attempts.rows[0]?.n).toBe(80);
    } finally {
      await store.close();
    }
  });
});
