import { sql } from "kysely";
import type { Db } from "../db/sqlite.ts";
import { toInstant } from "../time.ts";

/** The job types whose runs the lead report covers. */
export const LEAD_JOB_TYPES = ["leads.search", "leads.analyze", "leads.search_and_analyze"] as const;

export interface ScheduleLine {
  /** The schedule's id; null for runs enqueued by hand or run directly. */
  scheduleId: number | null;
  runs: number;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed); null before any run finished. */
  successRate: number | null;
  found: number;
  created: number;
  analysed: number;
  costMicroUsd: number;
  lastRunAt: string | null;
}

export interface DayLine {
  /** UTC date. */
  day: string;
  executions: number;
  found: number;
  created: number;
  analysed: number;
  avgDurationMs: number | null;
}

export interface LeadReport {
  since: string;
  until: string;
  bySchedule: ScheduleLine[];
  byDay: DayLine[];
}

const metric = (name: string) => sql<number>`coalesce(sum(json_extract(a.metrics, ${`$.${name}`})), 0)`;

/**
 * The seed spec's two lead reports from the job history: per schedule (runs, found, analysed,
 * success rate) and per day over the last `days` days (executions, found, created, average
 * duration). Metrics come from each run's completed attempt; a run's failed attempts count
 * only as executions.
 */
export async function leadReport(db: Db, o: { now: number; days: number }): Promise<LeadReport> {
  const since = toInstant(o.now - o.days * 86_400_000);
  const until = toInstant(o.now);
  const schedules = await sql<{ schedule_id: number | null; runs: number; succeeded: number; failed: number; found: number; created: number; analysed: number; cost: number; last_run: string | null }>`
    select j.schedule_id, count(distinct j.id) as runs,
      count(distinct case when j.state = 'completed' then j.id end) as succeeded,
      count(distinct case when j.state = 'dead' then j.id end) as failed,
      ${metric("found")} as found, ${metric("created")} as created, ${metric("analysed")} as analysed, ${metric("cost_microusd")} as cost,
      max(j.finished_at) as last_run
    from job j left join job_attempt a on a.job_id = j.id and a.outcome = 'completed'
    where j.type in (${sql.join([...LEAD_JOB_TYPES])}) and j.state in ('completed', 'dead')
    group by j.schedule_id
    order by j.schedule_id is null, j.schedule_id`.execute(db);
  const days = await sql<{ day: string; executions: number; found: number; created: number; analysed: number; avg_ms: number | null }>`
    select date(a.finished_at) as day, count(*) as executions,
      ${metric("found")} as found, ${metric("created")} as created, ${metric("analysed")} as analysed,
      avg(case when a.outcome = 'completed' then a.duration_ms end) as avg_ms
    from job_attempt a join job j on j.id = a.job_id
    where j.type in (${sql.join([...LEAD_JOB_TYPES])}) and a.finished_at >= ${since} and a.finished_at <= ${until}
      and a.outcome in ('completed', 'failed', 'timed_out')
    group by date(a.finished_at)
    order by day desc`.execute(db);
  return {
    since,
    until,
    bySchedule: schedules.rows.map((r) => ({
      scheduleId: r.schedule_id, runs: r.runs, succeeded: r.succeeded, failed: r.failed,
      successRate: r.succeeded + r.failed > 0 ? Math.round((1000 * r.succeeded) / (r.succeeded + r.failed)) / 1000 : null,
      found: r.found, created: r.created, analysed: r.analysed, costMicroUsd: r.cost, lastRunAt: r.last_run,
    })),
    byDay: days.rows.map((r) => ({ day: r.day, executions: r.executions, found: r.found, created: r.created, analysed: r.analysed, avgDurationMs: r.avg_ms === null ? null : Math.round(r.avg_ms) })),
  };
}

/**
 * LLM cost of lead jobs per UTC day over the last `days` days, from completed attempts (the
 * per-day companion of `ScheduleLine.costMicroUsd`); days without cost are absent.
 */
export async function leadCostByDay(db: Db, o: { now: number; days: number }): Promise<Array<{ day: string; costMicroUsd: number }>> {
  const rows = await sql<{ day: string; cost: number }>`
    select date(a.finished_at) as day, ${metric("cost_microusd")} as cost
    from job_attempt a join job j on j.id = a.job_id
    where j.type in (${sql.join([...LEAD_JOB_TYPES])}) and a.outcome = 'completed'
      and a.finished_at >= ${toInstant(o.now - o.days * 86_400_000)} and a.finished_at <= ${toInstant(o.now)}
    group by date(a.finished_at)
    order by day`.execute(db);
  return rows.rows.filter((r) => r.cost > 0).map((r) => ({ day: r.day, costMicroUsd: r.cost }));
}
