import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

/** One audit event: who changed which row of which table, from what to what. */
export interface AuditEvent {
  tenantId: number | null;
  table: string;
  rowId: number;
  /** `error`: a failure about the row (the error in `new`); nothing was changed. */
  action: "insert" | "update" | "delete" | "error";
  /** The changed columns before (update, delete); null for an insert. */
  old?: Record<string, unknown> | null;
  /** The changed columns after (insert, update); null for a delete. */
  new?: Record<string, unknown> | null;
  /** A person, or else the worker: `job:12`, `seed`. */
  actorUserId?: number | null;
  worker?: string | null;
}

const CHUNK = 300;

/**
 * Appends audit events (the log is append-only: a trigger refuses updates). Call inside the
 * transaction that made the change, so the change and its record commit together.
 */
export async function appendAudit(trx: Db, events: readonly AuditEvent[], now: number): Promise<void> {
  const stamp = toInstant(now);
  const rows = events.map((e) => ({
    tenant_id: e.tenantId,
    table_name: e.table,
    row_id: e.rowId,
    action: e.action,
    old_values: e.old ? JSON.stringify(e.old) : null,
    new_values: e.new ? JSON.stringify(e.new) : null,
    changed_fields: JSON.stringify(e.action === "error" ? [] : changedFields(e.old ?? null, e.new ?? null)),
    actor_user_id: e.actorUserId ?? null,
    worker: e.worker ?? (e.actorUserId ? null : "unknown"),
    created_at: stamp,
  }));
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto("audit_log")
      .values(rows.slice(i, i + CHUNK))
      .execute();
}

/** The columns whose values differ (all columns of an insert or a delete). */
export function changedFields(old: Record<string, unknown> | null, next: Record<string, unknown> | null): string[] {
  const keys = new Set([...Object.keys(old ?? {}), ...Object.keys(next ?? {})]);
  return [...keys].filter((k) => !old || !next || JSON.stringify(old[k]) !== JSON.stringify(next[k])).sort();
}
