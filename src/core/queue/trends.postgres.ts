// PostgreSQL-specific queries of trends.ts: hours cut with date_trunc (the session is in UTC).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

const HOUR = sql`to_char(date_trunc('hour', finished_at), 'YYYY-MM-DD"T"HH24":00:00.000Z"')`;

/** As trends.sqlite.ts's attemptsPerHour. */
export async function attemptsPerHour(
  db: Db,
  since: string,
  until: string,
): Promise<{ hour: string; completed: number; failed: number }[]> {
  const attempts = await sql<{ hour: string; completed: number; failed: number }>`
    select ${HOUR} as hour,
      count(*) filter (where outcome = 'completed') as completed, count(*) filter (where outcome in ('failed', 'timed_out', 'lost')) as failed
    from job_attempt
    where finished_at >= ${since}::timestamptz and finished_at <= ${until}::timestamptz and outcome in ('completed', 'failed', 'timed_out', 'lost')
    group by 1`.execute(db);
  return attempts.rows;
}

/** As trends.sqlite.ts's deadPerHour. */
export async function deadPerHour(db: Db, since: string, until: string): Promise<{ hour: string; dead: number }[]> {
  const dead = await sql<{ hour: string; dead: number }>`
    select ${HOUR} as hour, count(*) as dead
    from job where state = 'dead' and finished_at >= ${since}::timestamptz and finished_at <= ${until}::timestamptz
    group by 1`.execute(db);
  return dead.rows;
}
