import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The audit trail of back-office changes (who did what, when). */
export interface AuditTables {
  audit_log: AuditLogTable;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: number | null;
  table_name: string;
  row_id: number;
  /** `error`: something failed on the row (the error in `new_values`), nothing changed. */
  action: "insert" | "update" | "delete" | "error";
  old_values: string | null;
  new_values: string | null;
  changed_fields: string;
  actor_user_id: number | null;
  worker: string | null;
  created_at: Instant;
}

export type AuditLogRow = Selectable<AuditLogTable>;
