import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { formatOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { resetRefreshProblem } from "./refresh-state.ts";

/** A failed website analysis of a problem company. */
export interface AnalysisError {
  analysedAt: string;
  status: "blocked" | "failed";
  url: string;
  error: string | null;
}

/** A company the cadence skips: its refresh failed or was blocked too often in a row. */
export interface ProblemCompany {
  orgnr: string;
  name: string;
  website: string | null;
  problemSince: string;
  consecutiveFailures: number;
  lastRefreshedAt: string | null;
  lastSuccessAt: string | null;
  /** The refresh's own last message ("blocked: rate limited (HTTP 429)", "HTTP 404 from ..."). */
  lastMessage: string | null;
  /** How many users track it, and their highest rank (null when nobody does any more). */
  trackers: number;
  highestRank: number | null;
  /** Its latest failed or blocked website analyses, newest first. */
  lastErrors: AnalysisError[];
}

/** Companies flagged as problems, the most recent first, with their latest analysis errors. */
export async function listProblemCompanies(
  db: Db,
  o: { limit: number | null; offset?: number; errorsEach?: number },
): Promise<{ total: number; companies: ProblemCompany[] }> {
  const rows = await sql<{
    orgnr: string;
    name: string;
    website: string | null;
    lead_website: string | null;
    problem_since: string;
    consecutive_failures: number;
    last_refreshed_at: string | null;
    last_success_at: string | null;
    last_message: string | null;
    trackers: number;
    top: number | null;
    total: number;
  }>`
    select cr.orgnr, c.name, c.website, l.website as lead_website, cr.problem_since, cr.consecutive_failures,
      cr.last_refreshed_at, cr.last_success_at, cr.last_message,
      (select count(*) from company_tracking t where t.orgnr = cr.orgnr) as trackers,
      (select max(rank) from company_tracking t where t.orgnr = cr.orgnr) as top,
      count(*) over () as total
    from company_refresh cr
    join company c on c.orgnr = cr.orgnr
    left join lead l on l.orgnr = cr.orgnr
    where cr.problem = 1
    order by cr.problem_since desc, cr.orgnr
    limit ${o.limit ?? Number.MAX_SAFE_INTEGER} offset ${o.offset ?? 0}`.execute(db);
  // Past the end, the window count has no row to ride on: count from the start.
  if (rows.rows.length === 0 && (o.offset ?? 0) > 0) return { total: (await listProblemCompanies(db, { limit: 1 })).total, companies: [] };
  const orgnrs = rows.rows.map((r) => r.orgnr);
  const errors =
    orgnrs.length === 0
      ? []
      : (
          await sql<{ orgnr: string; analysed_at: string; status: "blocked" | "failed"; url: string; error: string | null }>`
    select orgnr, analysed_at, status, url, error from (
      select orgnr, analysed_at, status, url, error,
        row_number() over (partition by orgnr order by analysed_at desc, id desc) as n
      from web_analysis
      where orgnr in (${sql.join(orgnrs)}) and status <> 'ok') as latest
    where n <= ${o.errorsEach ?? 3}
    order by orgnr, analysed_at desc`.execute(db)
        ).rows;
  return {
    total: rows.rows[0]?.total ?? 0,
    companies: rows.rows.map((r) => ({
      orgnr: r.orgnr,
      name: r.name,
      website: r.lead_website ?? r.website,
      problemSince: r.problem_since,
      consecutiveFailures: r.consecutive_failures,
      lastRefreshedAt: r.last_refreshed_at,
      lastSuccessAt: r.last_success_at,
      lastMessage: r.last_message,
      trackers: r.trackers,
      highestRank: r.top,
      lastErrors: errors
        .filter((e) => e.orgnr === r.orgnr)
        .map((e) => ({ analysedAt: e.analysed_at, status: e.status, url: e.url, error: e.error })),
    })),
  };
}

export interface ResetResult {
  orgnr: string;
  name: string;
  /** False when the company was not a problem and had no failures to clear. */
  reset: boolean;
  wasProblem: boolean;
  clearedFailures: number;
}

/**
 * Puts a problem company back in the refresh cadence: clears the flag and the failures in a
 * row. Its next refresh is due one interval after its last attempt. An unknown company is a
 * UsageError (nothing written).
 */
export async function resetProblemCompany(db: Db, orgnr: string, now: number): Promise<ResetResult> {
  return immediate(db, async (trx) => {
    const company = await trx.selectFrom("company").select(["orgnr", "name"]).where("orgnr", "=", orgnr).executeTakeFirst();
    if (!company) throw new UsageError(`unknown company ${formatOrgnr(orgnr)}: it is not in the database`, { code: "NOT_FOUND" });
    const state = await trx
      .selectFrom("company_refresh")
      .select(["problem", "consecutive_failures"])
      .where("orgnr", "=", orgnr)
      .executeTakeFirst();
    const reset = await resetRefreshProblem(trx, orgnr, now);
    return { orgnr, name: company.name, reset, wasProblem: state?.problem === 1, clearedFailures: state?.consecutive_failures ?? 0 };
  });
}
