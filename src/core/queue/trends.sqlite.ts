// SQLite-specific queries of trends.ts: hours cut with strftime, outcomes counted as boolean sums.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Completed and failed (failed, timed out, lost) attempts per UTC hour start in [since, until]. */
export async function attemptsPerHour(
  db: Db,
  since: string,
  until: string,
): Promise<{ hour: string; completed: number; failed: number }[]> {
  const attempts = await sql<{ hour: string; completed: number; failed: number }>`
    select strftime('%Y-%m-%dT%H:00:00.000Z', finished_at) as hour,
      sum(outcome = 'completed') as completed, sum(outcome in ('failed', 'timed_out', 'lost')) as failed
    from job_attempt
    where finished_at >= ${since} and finished_at <= ${until} and outcome in ('completed', 'failed', 'timed_out', 'lost')
    group by hour`.execute(db);
  return attempts.rows;
}

/** Jobs that died per UTC hour start in [since, until]. */
export async function deadPerHour(db: Db, since: string, until: string): Promise<{ hour: string; dead: number }[]> {
  const dead = await sql<{ hour: string; dead: number }>`
    select strftime('%Y-%m-%dT%H:00:00.000Z', finished_at) as hour, count(*) as dead
    from job indexed by job_dead where state = 'dead' and finished_at >= ${since} and finished_at <= ${until}
    group by hour`.execute(db);
  return dead.rows;
}
