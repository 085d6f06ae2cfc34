// SQLite-specific, raw better-sqlite3 (no Kysely): the counts of a company-refresh tick, for the
// idle `enqueue` fast path (src/fast/enqueue.ts). The same rule as due-refreshes.ts (dueCompanies,
// the problems count, refreshDedupeKey), written out without Kysely: the fast path's e2e test compares the two on the real binary.
import type BetterSqlite3 from "better-sqlite3";
import { toInstant } from "../time.ts";
import type { RankBand } from "./rank-cadence.ts";

/** How many tracked companies a tick at `now` would find due, skip as problems, and find blocked. */
export function refreshCounts(
  sqlite: BetterSqlite3.Database,
  o: { now: number; bands: readonly RankBand[]; toleranceMs: number },
): { due: number; problems: number; blocked: number } {
  const cases = o.bands.map(() => "when r.rank between ? and ? then ?").join(" ");
  const params = o.bands.flatMap((b) => [b.min, b.max, toInstant(o.now - b.intervalMs + Math.min(o.toleranceMs, b.intervalMs / 2))]);
  const cadenceDue = (live: string) =>
    `with r as (select orgnr, max(rank) as rank from company_tracking group by orgnr)
     select count(*) from r left join company_refresh cr on cr.orgnr = r.orgnr
     where coalesce(cr.problem, 0) = 0
       and (coalesce(cr.due_from, cr.last_refreshed_at) is null or coalesce(cr.due_from, cr.last_refreshed_at) <= case ${cases} end)
       and ${live}`;
  const key = "j.dedupe_key = 'company.refresh:' || r.orgnr and j.state in ('pending', 'running')";
  const due = sqlite
    .prepare(cadenceDue(`not exists (select 1 from job j where ${key})`))
    .pluck()
    .get(...params) as number;
  // Due, but the key is held by a job of another type (BlockedRefresh): the full command reports it.
  const blocked = sqlite
    .prepare(cadenceDue(`exists (select 1 from job j where ${key} and j.type <> 'company.refresh')`))
    .pluck()
    .get(...params) as number;
  const problems = sqlite
    .prepare(
      "select count(*) from company_refresh cr where cr.problem = 1 and exists (select 1 from company_tracking t where t.orgnr = cr.orgnr)",
    )
    .pluck()
    .get() as number;
  return { due, problems, blocked };
}
