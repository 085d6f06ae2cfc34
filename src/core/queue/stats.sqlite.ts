// SQLite-specific queries of stats.ts: metrics summed with json_extract, days cut with date(),
// and outcomes counted as boolean sums.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { JOB_STATES } from "./schema.ts";

/** SQL: the sum of one numeric key of the attempts' metrics (`a`), 0 without any. */
const metricSum = (name: string) => sql<number>`coalesce(sum(json_extract(a.metrics, ${`$.${name}`})), 0)`;

/** The metric columns m0, m1, ... of `names`, each after a comma. */
const metricColumns = (names: readonly string[]) =>
  sql.join(
    names.map((n, i) => sql`, ${metricSum(n)} as ${sql.raw(`m${i}`)}`),
    sql``,
  );

type RunRow = { schedule_id: number | null; runs: number; succeeded: number; failed: number; last_run: string | null } & Record<
  string,
  number
>;

/** Finished jobs of `types` per schedule (runs, succeeded, failed, last_run, metric columns m0, m1, ...). */
export async function finishedRunRows(db: Db, types: readonly string[], metrics: readonly string[]): Promise<RunRow[]> {
  const rows = await sql<RunRow>`
    select j.schedule_id, count(distinct j.id) as runs,
      count(distinct case when j.state = 'completed' then j.id end) as succeeded,
      count(distinct case when j.state = 'dead' then j.id end) as failed,
      max(j.finished_at) as last_run ${metricColumns(metrics)}
    from job j left join job_attempt a on a.job_id = j.id and a.outcome = 'completed'
    where j.type in (${sql.join([...types])}) and j.state in ('completed', 'dead')
    group by j.schedule_id
    order by j.schedule_id is null, j.schedule_id`.execute(db);
  return rows.rows;
}

/** Finished attempts of jobs of `types` per UTC day (executions, avg_ms, metric columns m0, m1, ...), newest day first. */
export async function attemptDayRows(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metrics: readonly string[],
): Promise<({ day: string; executions: number; avg_ms: number | null } & Record<string, number>)[]> {
  const rows = await sql<{ day: string; executions: number; avg_ms: number | null } & Record<string, number>>`
    select date(a.finished_at) as day, count(*) as executions,
      avg(case when a.outcome = 'completed' then a.duration_ms end) as avg_ms ${metricColumns(metrics)}
    from job_attempt a join job j on j.id = a.job_id
    where j.type in (${sql.join([...types])}) and a.finished_at >= ${since} and a.finished_at <= ${until}
      and a.outcome in ('completed', 'failed', 'timed_out')
    group by date(a.finished_at)
    order by day desc`.execute(db);
  return rows.rows;
}

/** Finished attempts of a type's jobs since `since`, and how many of them failed. */
export function attemptOutcomeCounts(db: Db, type: string, since: string): Promise<{ total: number; failed: number }> {
  return db
    .selectFrom("job_attempt")
    .innerJoin("job", "job.id", "job_attempt.job_id")
    .select([
      sql<number>`coalesce(sum(job_attempt.outcome in ('completed', 'failed', 'timed_out', 'lost')), 0)`.as("total"),
      sql<number>`coalesce(sum(job_attempt.outcome in ('failed', 'timed_out', 'lost')), 0)`.as("failed"),
    ])
    .where("job.state", "in", [...JOB_STATES])
    .where("job.type", "=", type)
    .where("job_attempt.finished_at", ">=", since)
    .executeTakeFirstOrThrow();
}

/** One metric summed over the completed attempts of jobs of `types`, per UTC day, oldest first. */
export async function completedMetricDays(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metric: string,
): Promise<Array<{ day: string; total: number }>> {
  const rows = await sql<{ day: string; total: number }>`
    select date(a.finished_at) as day, ${metricSum(metric)} as total
    from job_attempt a join job j on j.id = a.job_id
    where j.type in (${sql.join([...types])}) and a.outcome = 'completed' and a.finished_at >= ${since} and a.finished_at <= ${until}
    group by date(a.finished_at)
    order by day`.execute(db);
  return rows.rows;
}
