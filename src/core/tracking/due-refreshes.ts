import { sql } from "kysely";
import { immediate, type Db } from "../db/sqlite.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { insertJobs } from "../queue/enqueue.ts";
import type { RankBand } from "../schedule/rank-cadence.ts";
import { toInstant } from "../time.ts";

export const REFRESH_JOB_TYPE = "company.refresh";

/** While a refresh job for a company is pending or running, no second one is enqueued. */
export const refreshDedupeKey = (orgnr: string): string => `${REFRESH_JOB_TYPE}:${orgnr}`;

export interface RefreshTick {
  /** Companies due for a refresh (not queued already, not a problem). */
  due: number;
  enqueued: Array<{ orgnr: string; rank: number; lastRefreshedAt: string | null; jobId: number | null }>;
  /** Due companies left for a later tick because of the cap. */
  deferred: number;
  /** Tracked companies skipped because they are flagged as problems. */
  problems: number;
}

export interface RefreshTickOptions {
  now: number;
  bands: readonly RankBand[];
  /** At most this many refresh jobs per tick. */
  cap: number;
  dryRun: boolean;
  loadJobType: (type: string) => Promise<JobDefinition<unknown>>;
}

/** SQL for "the last refresh is old enough": each band's own cut-off instant. */
function cutoffFor(bands: readonly RankBand[], now: number) {
  return sql`case ${sql.join(bands.map((b) => sql`when r.rank between ${b.min} and ${b.max} then ${toInstant(now - b.intervalMs)}`), sql` `)} end`;
}

/**
 * The rank cadence of `leadjobs enqueue`: one `company.refresh` job per tracked company whose
 * last refresh is older than the interval of its highest rank, highest rank first (then the
 * longest unrefreshed), at most `cap` per tick, never two live jobs for one company.
 * Refresh jobs get priority rank - 101, so other due work runs first.
 */
export async function enqueueRefreshes(db: Db, o: RefreshTickOptions): Promise<RefreshTick> {
  const def = await o.loadJobType(REFRESH_JOB_TYPE);
  const maxAttempts = retryPolicy(def.retry).maxAttempts;
  const work = async (trx: Db): Promise<RefreshTick> => {
    const rows = await sql<{ orgnr: string; rank: number; last_refreshed_at: string | null; total: number }>`
      with r as (select orgnr, max(rank) as rank from company_tracking group by orgnr)
      select r.orgnr, r.rank, cr.last_refreshed_at, count(*) over () as total
      from r left join company_refresh cr on cr.orgnr = r.orgnr
      where coalesce(cr.problem, 0) = 0
        and (cr.last_refreshed_at is null or cr.last_refreshed_at <= ${cutoffFor(o.bands, o.now)})
        and not exists (select 1 from job j where j.dedupe_key = ${REFRESH_JOB_TYPE + ":"} || r.orgnr and j.state in ('pending', 'running'))
      order by r.rank desc, cr.last_refreshed_at is not null, cr.last_refreshed_at, r.orgnr
      limit ${o.cap}`.execute(trx);
    const problems = await sql<{ n: number }>`
      select count(*) as n from company_refresh cr
      where cr.problem = 1 and exists (select 1 from company_tracking t where t.orgnr = cr.orgnr)`.execute(trx);
    const due = rows.rows[0]?.total ?? (o.cap === 0 ? await countDue(trx, o) : 0);
    const picked = rows.rows;
    const jobs = o.dryRun || picked.length === 0 ? [] : await insertJobs(trx, picked.map((p) => ({
      type: REFRESH_JOB_TYPE, payload: { orgnr: p.orgnr }, runAt: o.now, priority: p.rank - 101, maxAttempts, dedupeKey: refreshDedupeKey(p.orgnr),
    })), o.now);
    return {
      due,
      enqueued: picked.map((p, i) => ({ orgnr: p.orgnr, rank: p.rank, lastRefreshedAt: p.last_refreshed_at, jobId: jobs[i]?.id ?? null })),
      deferred: due - picked.length,
      problems: problems.rows[0]?.n ?? 0,
    };
  };
  return o.dryRun ? work(db) : immediate(db, work);
}

async function countDue(trx: Db, o: RefreshTickOptions): Promise<number> {
  const r = await sql<{ n: number }>`
    with r as (select orgnr, max(rank) as rank from company_tracking group by orgnr)
    select count(*) as n from r left join company_refresh cr on cr.orgnr = r.orgnr
    where coalesce(cr.problem, 0) = 0
      and (cr.last_refreshed_at is null or cr.last_refreshed_at <= ${cutoffFor(o.bands, o.now)})
      and not exists (select 1 from job j where j.dedupe_key = ${REFRESH_JOB_TYPE + ":"} || r.orgnr and j.state in ('pending', 'running'))`.execute(trx);
  return r.rows[0]?.n ?? 0;
}
