// PostgreSQL-specific claim of claim.ts, in one statement (one round trip): the due jobs taken
// with FOR UPDATE SKIP LOCKED, so workers on many machines never wait for each other nor take
// the same job; their earlier snoozes counted.
import { type RawBuilder, sql } from "kysely";
import { PREPARED } from "../db/prepared.postgres.ts";
import type { Db } from "../db/handle.ts";
import type { ClaimOptions } from "./claim.ts";
import type { ClaimedWithSnoozes } from "./claim.sqlite.ts";

/** As claim.sqlite.ts's claimWithSnoozes. */
export async function claimWithSnoozes(trx: Db, o: ClaimSpec): Promise<ClaimedWithSnoozes[]> {
  const claimed = await sql<ClaimedWithSnoozes>`${sql.raw(PREPARED)} with ${claimCtes(o)} select * from got`.execute(trx);
  return claimed.rows;
}

export type ClaimSpec = Pick<ClaimOptions, "owner" | "limit" | "types" | "ids"> & { now: string; expires: string };

/**
 * The CTEs of a claim: `claimed` (the jobs taken) and `got` (the claimed rows with snoozes); also
 * the second part of cycle.postgres.ts's statement.
 */
export function claimCtes(o: ClaimSpec): RawBuilder<unknown> {
  const typeFilter = o.types && o.types.length > 0 ? sql`and type = any(${[...o.types]}::text[])` : sql``;
  const idFilter = o.ids ? sql`and id = any(${[...o.ids]}::bigint[])` : sql``;
  const now = sql`${o.now}::timestamptz`;
  return sql`
    claimed as (
      update job
      set state = 'running', lease_owner = ${o.owner}, lease_token = lease_token + 1, lease_expires_at = ${o.expires}::timestamptz,
          attempts = attempts + 1, claimed_at = ${now}, started_at = coalesce(started_at, ${now}), updated_at = ${now}
      where id in (
        select id from job
        where state = 'pending' and blocked = 0 and run_at <= ${now} ${typeFilter} ${idFilter}
        order by priority desc, run_at, id
        limit ${o.limit}
        for update skip locked)
      returning id, type, payload, attempts, max_attempts, lease_token, priority, schedule_id, batch_id, timeout_ms, created_at, started_at),
    got as (
      select c.*,
        -- a first attempt has no earlier snoozes to count (a snooze keeps its claim's attempt number)
        case when c.attempts > 1 then (select count(*) from job_attempt s where s.job_id = c.id and s.outcome = 'snoozed') else 0 end as snoozes
      from claimed c)`;
}
