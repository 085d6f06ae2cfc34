import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { ExitCode } from "../errors.ts";
import { toInstant } from "../time.ts";

export const HISTORY_BATCH = 1000;

export interface HistoryPruneOptions {
  /** Completed and cancelled jobs that finished before this go. */
  finishedBefore: number;
  /** Dead jobs that finished before this go (a longer period: someone may still look at them). */
  deadBefore: number;
  batchSize?: number;
  signal?: AbortSignal;
}

export interface HistoryPruneSummary {
  /** Completed and cancelled jobs deleted. */
  jobs: number;
  deadJobs: number;
  attempts: number;
  commandRuns: number;
  batches: number;
}

// The latest completed job of each type is kept, whatever its age: monitoring reads "last success" from it.
const prunable = (o: HistoryPruneOptions) => (db: Db) =>
  db
    .selectFrom("job")
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "in", ["completed", "cancelled"]), eb("finished_at", "<", toInstant(o.finishedBefore))]),
        eb.and([eb("state", "=", "dead"), eb("finished_at", "<", toInstant(o.deadBefore))]),
      ]),
    )
    .where("id", "not in", (eb) =>
      eb
        .selectFrom("job as latest")
        .select((e) => e.fn.max("latest.id").as("id"))
        .where("latest.state", "=", "completed")
        .groupBy("latest.type"),
    );

/** Finished command runs older than the retention, except each command's latest successful one. */
const oldRunsWhere = (o: HistoryPruneOptions) => sql`finished_at is not null and finished_at < ${toInstant(o.finishedBefore)}
  and id not in (select max(id) from command_run where exit_code = ${ExitCode.Ok} group by command)`;

/**
 * Deletes old finished jobs with their attempts, in batches (one transaction each), and finished
 * command runs older than `finishedBefore`. Pending and running jobs are never touched: the
 * delete itself repeats the state condition. The latest completed job of each type stays.
 */
export async function pruneHistory(db: Db, o: HistoryPruneOptions): Promise<HistoryPruneSummary> {
  const s: HistoryPruneSummary = { jobs: 0, deadJobs: 0, attempts: 0, commandRuns: 0, batches: 0 };
  const size = o.batchSize ?? HISTORY_BATCH;
  for (;;) {
    o.signal?.throwIfAborted();
    const done = await immediate(db, async (trx) => {
      const rows = await prunable(o)(trx).select(["id", "state"]).orderBy("id").limit(size).execute();
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      const attempts = await trx.deleteFrom("job_attempt").where("job_id", "in", ids).executeTakeFirst();
      await trx.deleteFrom("job").where("id", "in", ids).where("state", "in", ["completed", "cancelled", "dead"]).execute();
      s.attempts += Number(attempts.numDeletedRows);
      s.deadJobs += rows.filter((r) => r.state === "dead").length;
      s.jobs += rows.filter((r) => r.state !== "dead").length;
      s.batches++;
      return rows.length;
    });
    if (done < size) break;
  }
  const runs = await sql`delete from command_run where ${oldRunsWhere(o)}`.execute(db);
  s.commandRuns = Number(runs.numAffectedRows ?? 0);
  return s;
}

/** What `pruneHistory` would delete now (for --dry-run). */
export async function countHistory(db: Db, o: HistoryPruneOptions): Promise<Omit<HistoryPruneSummary, "batches">> {
  const jobs = await prunable(o)(db)
    .select(["state", sql<number>`count(*)`.as("n")])
    .groupBy("state")
    .execute();
  const attempts = await db
    .selectFrom("job_attempt")
    .select(sql<number>`count(*)`.as("n"))
    .where("job_id", "in", prunable(o)(db).select("id"))
    .executeTakeFirstOrThrow();
  const runs = (await sql<{ n: number }>`select count(*) as n from command_run where ${oldRunsWhere(o)}`.execute(db)).rows[0] ?? { n: 0 };
  return {
    jobs: jobs.filter((j) => j.state !== "dead").reduce((n, j) => n + j.n, 0),
    deadJobs: jobs.find((j) => j.state === "dead")?.n ?? 0,
    attempts: attempts.n,
    commandRuns: runs.n,
  };
}

/** Empties the queue: every attempt, job and command run (`seed --reset`), inside the caller's transaction. */
export async function clearQueue(trx: Db): Promise<void> {
  for (const table of ["job_attempt", "job", "command_run"] as const) await sql`delete from ${sql.table(table)}`.execute(trx);
}
