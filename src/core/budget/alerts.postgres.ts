// PostgreSQL twin of alerts.sqlite.ts: a chunk of alerts resolved or created in one statement
// each, the rows passed as one jsonb array (jsonb_to_recordset).
import { sql } from "kysely";
import type { BudgetType } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import type { NewAlert } from "./alerts.sqlite.ts";

/** Resolves these alerts unless already resolved; returns the ids it resolved. */
export async function resolveAlerts(
  trx: Db,
  alerts: ReadonlyArray<{ id: number; reason: string }>,
  stamp: string,
  actor: string,
): Promise<number[]> {
  const done = await sql<{ id: number }>`
    update budget_alert set status = 'resolved', resolved_at = ${stamp}, resolved_by = ${actor}, resolution = v.reason
    from jsonb_to_recordset(${JSON.stringify(alerts.map((r) => ({ id: r.id, reason: r.reason })))}::jsonb) as v(id bigint, reason text)
    where budget_alert.id = v.id and budget_alert.status = 'active'
    returning budget_alert.id`.execute(trx);
  return done.rows.map((r) => r.id);
}

/** Creates these active alerts; returns the rows it created. */
export async function insertAlerts(
  trx: Db,
  alerts: readonly NewAlert[],
  stamp: string,
  actor: string,
): Promise<Array<{ id: number; project_id: number; type: BudgetType; threshold_percent: number }>> {
  // The unique index on active alerts turns a concurrent duplicate into a no-op (nothing returned).
  const inserted = await sql<{ id: number; project_id: number; type: BudgetType; threshold_percent: number }>`
    insert into budget_alert (tenant_id, project_id, type, threshold_percent, used, budget, usage_percent, status, created_at, created_by)
    select v.tenant_id, v.project_id, v.type, v.threshold_percent, v.used, v.budget, v.usage_percent, 'active', ${stamp}::timestamptz, ${actor}
    from jsonb_to_recordset(${JSON.stringify(alerts)}::jsonb) as v(tenant_id bigint, project_id bigint, type text,
      threshold_percent integer, used bigint, budget bigint, usage_percent double precision)
    on conflict do nothing
    returning id, project_id, type, threshold_percent`.execute(trx);
  return inserted.rows;
}
