// PostgreSQL-specific queries of stats.ts: metrics summed from jsonb, days cut with to_char (the
// session is in UTC), outcomes counted with filters.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { JOB_STATES } from "./schema.ts";

/** SQL: the sum of one numeric key of the attempts' metrics (`a`), 0 without any. */
const metricSum = (name: string) => sql<number>`coalesce(sum((a.metrics ->> ${name})::numeric), 0)`;

const metricColumns = (names: readonly string[]) =>
  sql.join(
    names.map((n, i) => sql`, ${metricSum(n)} as ${sql.raw(`m${i}`)}`),
    sql``,
  );

const DAY = sql`to_char(a.finished_at, 'YYYY-MM-DD')`;

type RunRow = { schedule_id: number | null; runs: number; succeeded: number; failed: number; last_run: string | null } & Record<
  string,
  number
>;

/** As stats.sqlite.ts's finishedRunRows. */
export async function finishedRunRows(db: Db, types: readonly string[], metrics: readonly string[]): Promise<RunRow[]> {
  const rows = await sql<RunRow>`
    select j.schedule_id, count(distinct j.id) as runs,
      count(distinct case when j.state = 'completed' then j.id end) as succeeded,
      count(distinct case when j.state = 'dead' then j.id end) as failed,
      max(j.finished_at) as last_run ${metricColumns(metrics)}
    from job j left join job_attempt a on a.job_id = j.id and a.outcome = 'completed'
    where j.type = any(${[...types]}::text[]) and j.state in ('completed', 'dead')
    group by j.schedule_id
    order by j.schedule_id is null, j.schedule_id`.execute(db);
  return rows.rows;
}

/** As stats.sqlite.ts's attemptDayRows. */
export async function attemptDayRows(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metrics: readonly string[],
): Promise<({ day: string; executions: number; avg_ms: number | null } & Record<string, number>)[]> {
  const rows = await sql<{ day: string; executions: number; avg_ms: number | null } & Record<string, number>>`
    select ${DAY} as day, count(*) as executions,
      avg(case when a.outcome = 'completed' then a.duration_ms end) as avg_ms ${metricColumns(metrics)}
    from job_attempt a join job j on j.id = a.job_id
    where j.type = any(${[...types]}::text[]) and a.finished_at >= ${since}::timestamptz and a.finished_at <= ${until}::timestamptz
      and a.outcome in ('completed', 'failed', 'timed_out')
    group by 1
    order by day desc`.execute(db);
  return rows.rows;
}

/** As stats.sqlite.ts's attemptOutcomeCounts. */
export async function attemptOutcomeCounts(db: Db, type: string, since: string): Promise<{ total: number; failed: number }> {
  const r = await sql<{ total: number; failed: number }>`
    select count(*) filter (where a.outcome in ('completed', 'failed', 'timed_out', 'lost')) as total,
      count(*) filter (where a.outcome in ('failed', 'timed_out', 'lost')) as failed
    from job_attempt a join job on job.id = a.job_id
    where job.state = any(${[...JOB_STATES]}::text[]) and job.type = ${type} and a.finished_at >= ${since}::timestamptz`.execute(db);
  return r.rows[0] ?? { total: 0, failed: 0 };
}

/** As stats.sqlite.ts's completedMetricDays. */
export async function completedMetricDays(
  db: Db,
  types: readonly string[],
  since: string,
  until: string,
  metric: string,
): Promise<Array<{ day: string; total: number }>> {
  const rows = await sql<{ day: string; total: number }>`
    select ${DAY} as day, ${metricSum(metric)} as total
    from job_attempt a join job j on j.id = a.job_id
    where j.type = any(${[...types]}::text[]) and a.outcome = 'completed' and a.finished_at >= ${since}::timestamptz and a.finished_at <= ${until}::timestamptz
    group by 1
    order by day`.execute(db);
  return rows.rows;
}
