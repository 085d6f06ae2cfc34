// SQLite-specific query of lease.ts: leases renewed from one JSON array (json_each, `->>`), with
// a unary-plus hint that keeps the planner off the state index.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/**
 * Sets lease_expires_at to `expires` on each running job whose (id, token) lease still holds;
 * returns those jobs with their cancel request.
 */
export async function extendLeases(
  db: Db,
  leases: readonly { id: number; token: number }[],
  expires: string,
  stamp: string,
): Promise<{ id: number; cancel_requested_at: string | null }[]> {
  const rows = await sql<{ id: number; cancel_requested_at: string | null }>`
    update job set lease_expires_at = ${expires}, updated_at = ${stamp}
    from json_each(${JSON.stringify(leases)}) as v
    where job.id = v.value ->> 'id' and job.lease_token = v.value ->> 'token' and +job.state = 'running'
    returning job.id, job.cancel_requested_at`.execute(db);
  return rows.rows;
}
