// PostgreSQL-specific query of lease.ts: leases renewed from one jsonb array.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** As lease.sqlite.ts's extendLeases. */
export async function extendLeases(
  db: Db,
  leases: readonly { id: number; token: number }[],
  expires: string,
  stamp: string,
): Promise<{ id: number; cancel_requested_at: string | null }[]> {
  const rows = await sql<{ id: number; cancel_requested_at: string | null }>`
    update job set lease_expires_at = ${expires}::timestamptz, updated_at = ${stamp}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(leases)}::jsonb) as v (id bigint, token bigint)
    where job.id = v.id and job.lease_token = v.token and job.state = 'running'
    returning job.id, job.cancel_requested_at`.execute(db);
  return rows.rows;
}
