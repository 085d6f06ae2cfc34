import { type Fragments, fragments } from "../db/fragments.ts";
import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import type { JobDefinition } from "../jobs/types.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { insertJobsFromQuery, liveJobWithKey } from "../queue/enqueue.ts";
import type { RankBand } from "./rank-cadence.ts";
import { toInstant } from "../time.ts";

export const REFRESH_JOB_TYPE = "company.refresh";

/**
 * SQL for the dedupe key of a company's refresh job, `company.refresh:ORGNR`, from an orgnr
 * column: while one is pending or running, no second one is enqueued.
 */
export const refreshDedupeKey = (orgnrColumn: string) => sql`${`${REFRESH_JOB_TYPE}:`} || ${sql.ref(orgnrColumn)}`;

/** The dedupe key of a company's refresh job (the type's own key: see companyRefreshJob). */
export const refreshKey = (orgnr: string): string => `${REFRESH_JOB_TYPE}:${orgnr}`;

/**
 * A due company whose refresh key is held by a live job of another type: no refresh can be
 * enqueued for it until that job ends (keys are owned by their type, so only a job made before
 * that rule, or by hand in the database, can hold one).
 */
export interface BlockedRefresh {
  orgnr: string;
  jobId: number;
  jobType: string;
}

export interface RefreshTick {
  /** Companies due for a refresh (not queued already, not a problem). */
  due: number;
  /** In tick order (highest rank first); jobId is null in a dry run. */
  enqueued: Array<{ orgnr: string; rank: number; jobId: number | null }>;
  /** Due companies left for a later tick because of the cap. */
  deferred: number;
  /** Tracked companies skipped because they are flagged as problems. */
  problems: number;
  /** Due companies not enqueued because a job of another type holds their key, highest rank first. */
  blocked: BlockedRefresh[];
}

export interface RefreshTickOptions {
  now: number;
  bands: readonly RankBand[];
  /** At most this many refresh jobs per tick. */
  cap: number;
  /**
   * How early a company may be refreshed: half the time since the previous tick (see
   * `tickTolerance`), at most half its interval. A company falls to the tick nearest its due
   * time, so ticks exactly a day apart (anacron) keep a daily company daily.
   */
  toleranceMs?: number;
  dryRun: boolean;
  loadJobType: (type: string) => Promise<JobDefinition<unknown>>;
}

/**
 * SQL for the instant a company's cadence counts from: when its latest refresh was enqueued
 * (the refresh was due then), else when it finished (rows written before that was recorded).
 * Counting from the finish would push a daily company past the next day's tick.
 */
export const CADENCE_FROM = sql`coalesce(cr.due_from, cr.last_refreshed_at)`;

/** SQL for "the last refresh is old enough": each band's own cut-off instant. */
function cutoffFor(bands: readonly RankBand[], now: number, toleranceMs: number, f: Fragments) {
  const cutoff = (b: RankBand) => f.instant(toInstant(now - b.intervalMs + Math.min(toleranceMs, b.intervalMs / 2)));
  return sql`case ${sql.join(
    bands.map((b) => sql`when r.rank between ${b.min} and ${b.max} then ${cutoff(b)}`),
    sql` `,
  )} end`;
}

/** The tolerance of a tick at `now` whose previous tick was at `previous` (none: 0). */
export function tickTolerance(previous: number | null, now: number): number {
  return previous === null ? 0 : Math.max(0, Math.floor((now - previous) / 2));
}

/** SQL for tracked companies (`r`, with their refresh state `cr`) by their highest rank. */
const TRACKED = sql`
    with r as (select orgnr, max(rank) as rank from company_tracking group by orgnr)`;

/** SQL condition: no refresh enqueued within the company's band's interval, and not a problem. */
function cadenceDue(o: RefreshTickOptions, f: Fragments) {
  return sql`coalesce(cr.problem, 0) = 0
      and (${CADENCE_FROM} is null or ${CADENCE_FROM} <= ${cutoffFor(o.bands, o.now, o.toleranceMs ?? 0, f)})`;
}

/** Tracked companies due for a refresh: none enqueued within their band's interval, not a problem, not queued. */
function dueCompanies(o: RefreshTickOptions, f: Fragments) {
  return sql`${TRACKED}
    select r.orgnr, r.rank, cr.last_refreshed_at
    from r left join company_refresh cr on cr.orgnr = r.orgnr
    where ${cadenceDue(o, f)}
      and not ${liveJobWithKey(refreshDedupeKey("r.orgnr"))}`;
}

/** Companies due by their cadence whose key a live job of another type holds (see BlockedRefresh). */
async function blockedCompanies(trx: Db, o: RefreshTickOptions): Promise<BlockedRefresh[]> {
  const rows = await sql<{ orgnr: string; job_id: number; job_type: string }>`${TRACKED}
    select r.orgnr, j.id as job_id, j.type as job_type
    from r left join company_refresh cr on cr.orgnr = r.orgnr
    join job j on j.dedupe_key = ${refreshDedupeKey("r.orgnr")} and j.state in ('pending', 'running') and j.type <> ${REFRESH_JOB_TYPE}
    where ${cadenceDue(o, fragments(trx))}
    order by r.rank desc, r.orgnr`.execute(trx);
  return rows.rows.map((r) => ({ orgnr: r.orgnr, jobId: Number(r.job_id), jobType: r.job_type }));
}

/** The order of a tick: highest rank first, then never refreshed, then the longest unrefreshed. */
const ORDER = sql`order by d.rank desc, d.last_refreshed_at is not null, d.last_refreshed_at, d.orgnr`;

/**
 * The rank cadence of `leadjobs enqueue`: one `company.refresh` job per tracked company whose
 * last refresh is older than the interval of its highest rank, highest rank first (then the
 * longest unrefreshed), at most `cap` per tick, never two live jobs for one company.
 * Refresh jobs get priority rank - 101, so other due work runs first.
 *
 * The jobs are inserted by one INSERT ... SELECT (a first run can make tens of thousands of
 * them), through the queue's `insertJobsFromQuery`.
 */
export async function enqueueRefreshes(db: Db, o: RefreshTickOptions): Promise<RefreshTick> {
  const work = async (trx: Db): Promise<RefreshTick> => {
    const due =
      (await sql<{ n: number }>`select count(*) as n from (${dueCompanies(o, fragments(trx))}) as due`.execute(trx)).rows[0]?.n ?? 0;
    const problems = await sql<{ n: number }>`
      select count(*) as n from company_refresh cr
      where cr.problem = 1 and exists (select 1 from company_tracking t where t.orgnr = cr.orgnr)`.execute(trx);
    let enqueued: RefreshTick["enqueued"];
    if (due === 0 || o.cap === 0) {
      enqueued = [];
    } else if (o.dryRun) {
      const rows = await sql<{
        orgnr: string;
        rank: number;
      }>`select d.orgnr, d.rank from (${dueCompanies(o, fragments(trx))}) d ${ORDER} limit ${o.cap}`.execute(trx);
      enqueued = rows.rows.map((r) => ({ orgnr: r.orgnr, rank: r.rank, jobId: null }));
    } else {
      // The handler's module (web analysis and all) is loaded only when there is something to enqueue:
      // most ticks have nothing due, and cron starts one every few minutes.
      const maxAttempts = retryPolicy((await o.loadJobType(REFRESH_JOB_TYPE)).retry).maxAttempts;
      const rows = await insertJobsFromQuery(
        trx,
        {
          type: REFRESH_JOB_TYPE,
          maxAttempts,
          rows: sql`
          -- orgnr is 10 checked digits: this JSON text needs no escaping, on either dialect
          select ${fragments(trx).json(sql`'{"orgnr":"' || d.orgnr || '"}'`)} as payload, d.rank - 101 as priority, ${refreshDedupeKey("d.orgnr")} as dedupe_key
          from (${dueCompanies(o, fragments(trx))}) d ${ORDER} limit ${o.cap}`,
        },
        o.now,
      );
      enqueued = rows.map((r) => ({ orgnr: (JSON.parse(r.payload) as { orgnr: string }).orgnr, rank: r.priority + 101, jobId: r.id }));
    }
    const blocked = await blockedCompanies(trx, o);
    return { due, enqueued, deferred: due - enqueued.length, problems: problems.rows[0]?.n ?? 0, blocked };
  };
  return o.dryRun ? work(db) : immediate(db, work);
}
