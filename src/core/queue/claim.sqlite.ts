// SQLite-specific queries of claim.ts: the due jobs picked through the job_claim index (`indexed
// by`), then updated by id from a JSON array (json_each), as prepared statements run on the handle
// (prepared.sqlite.ts): the worker's hot path.
import type { Db } from "../db/handle.ts";
import type { ClaimOptions } from "./claim.ts";
import { prepared } from "./prepared.sqlite.ts";

/** A job row as the claim returns it. */
export interface ClaimedRow {
  id: number;
  type: string;
  payload: string;
  attempts: number;
  max_attempts: number;
  lease_token: number;
  priority: number;
  schedule_id: number | null;
  batch_id: number | null;
  timeout_ms: number | null;
  created_at: string;
  started_at: string;
}

/** A claimed job with how many of its earlier attempts snoozed. */
export interface ClaimedWithSnoozes extends ClaimedRow {
  snoozes: number;
}

/**
 * Claims up to `limit` due jobs (claimDueJobs) and counts their earlier snoozes. Call inside a
 * write transaction on `trx`.
 */
export async function claimWithSnoozes(
  trx: Db,
  o: Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string },
): Promise<ClaimedWithSnoozes[]> {
  const claimed = claimDueJobs(trx, o);
  if (claimed.length === 0) return [];
  // A first attempt has no earlier snoozes to count (a snooze keeps its claim's attempt number).
  const again = claimed.filter((r) => r[3] > 1).map((r) => r[0]);
  const snoozed = again.length > 0 ? (prepared(trx, COUNT_SNOOZES).all(JSON.stringify(again)) as { job_id: number; n: number }[]) : [];
  const snoozesOf = new Map(snoozed.map((r) => [r.job_id, r.n]));
  return claimed.map((r) => ({
    id: r[0],
    type: r[1],
    payload: r[2],
    attempts: r[3],
    max_attempts: r[4],
    lease_token: r[5],
    priority: r[6],
    schedule_id: r[7],
    batch_id: r[8],
    timeout_ms: r[9],
    created_at: r[10],
    started_at: r[11],
    snoozes: snoozesOf.get(r[0]) ?? 0,
  }));
}

/**
 * Marks up to `limit` due jobs (pending, unblocked, run_at <= now, of `types` and `ids` when
 * given) running under `owner` until `expires`, and returns them (claimedJobs orders them). Two
 * statements: an UPDATE whose WHERE holds the ordered, limited pick cost SQLite half again as much
 * as the pick and an update by id (the write lock is held between them).
 */
function claimDueJobs(
  trx: Db,
  o: Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string },
): ClaimedArray[] {
  const byType = o.types !== undefined && o.types.length > 0;
  const lists = [...(byType ? [JSON.stringify(o.types)] : []), ...(o.ids ? [JSON.stringify(o.ids)] : [])];
  const ids = prepared(trx, DUE_SQL[Number(byType) * 2 + Number(o.ids !== undefined)] as string)
    .pluck()
    .all(o.now, ...lists, o.limit) as number[];
  if (ids.length === 0) return [];
  return prepared(trx, CLAIM_BY_ID).raw(true).all(o.owner, o.expires, o.now, o.now, o.now, JSON.stringify(ids)) as ClaimedArray[];
}

const dueSql = (byType: boolean, byId: boolean) => `
  select id from job indexed by job_claim -- the planner would otherwise sort every pending job
  where state = 'pending' and blocked = 0 and run_at <= ?
    ${byType ? "and type in (select value from json_each(?))" : ""} ${byId ? "and id in (select value from json_each(?))" : ""}
  order by priority desc, run_at, id
  limit ?`;

/** The pick without filters, by id, by type, and by both: built once (the claim runs it every cycle). */
const DUE_SQL = [dueSql(false, false), dueSql(false, true), dueSql(true, false), dueSql(true, true)];

const CLAIM_BY_ID = `
  update job
  set state = 'running', lease_owner = ?, lease_token = lease_token + 1, lease_expires_at = ?,
      attempts = attempts + 1, claimed_at = ?, started_at = coalesce(started_at, ?), updated_at = ?
  where id in (select value from json_each(?))
  returning id, type, payload, attempts, max_attempts, lease_token, priority, schedule_id, batch_id, timeout_ms, created_at, started_at`;

/**
 * A claimed row as CLAIM_BY_ID returns it, in ClaimedRow's order. Read as arrays: better-sqlite3
 * built each row's object at about 0.17 µs a column, 0.9 µs more per job than the arrays and the
 * object literal made from them.
 */
type ClaimedArray = [
  id: number,
  type: string,
  payload: string,
  attempts: number,
  max_attempts: number,
  lease_token: number,
  priority: number,
  schedule_id: number | null,
  batch_id: number | null,
  timeout_ms: number | null,
  created_at: string,
  started_at: string,
];

const COUNT_SNOOZES = `
  select job_id, count(*) as n from job_attempt
  where outcome = 'snoozed' and job_id in (select value from json_each(?))
  group by job_id`;
