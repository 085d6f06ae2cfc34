// SQLite-specific writes of the budget alert worker: a chunk of alerts resolved or created in
// one statement each, the rows passed as one JSON array (json_each, ->>).
import { sql } from "kysely";
import type { BudgetAlertTable, BudgetType } from "./schema.ts";
import type { Db } from "../db/handle.ts";

/** Resolves these alerts unless already resolved; returns the ids it resolved. */
export async function resolveAlerts(
  trx: Db,
  alerts: ReadonlyArray<{ id: number; reason: string }>,
  stamp: string,
  actor: string,
): Promise<number[]> {
  // The unary + keeps SQLite from driving the join from the status index instead of the ids.
  const done = await sql<{ id: number }>`
    update budget_alert set status = 'resolved', resolved_at = ${stamp}, resolved_by = ${actor}, resolution = v.value ->> 'reason'
    from json_each(${JSON.stringify(alerts.map((r) => ({ id: r.id, reason: r.reason })))}) as v
    where budget_alert.id = v.value ->> 'id' and +budget_alert.status = 'active'
    returning budget_alert.id`.execute(trx);
  return done.rows.map((r) => r.id);
}

/** The columns of a new alert that vary (status, created_at and created_by are set here). */
export type NewAlert = Pick<
  BudgetAlertTable,
  "tenant_id" | "project_id" | "type" | "threshold_percent" | "used" | "budget" | "usage_percent"
>;

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
    select v.value ->> 'tenant_id', v.value ->> 'project_id', v.value ->> 'type', v.value ->> 'threshold_percent',
           v.value ->> 'used', v.value ->> 'budget', v.value ->> 'usage_percent', 'active', ${stamp}, ${actor}
    from json_each(${JSON.stringify(alerts)}) as v where true
    on conflict do nothing
    returning id, project_id, type, threshold_percent`.execute(trx);
  return inserted.rows;
}
