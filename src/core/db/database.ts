import type { AuditTables } from "../audit/schema.ts";
import type { BudgetTables } from "../budget/schema.ts";
import type { InvoiceTables } from "../invoice/schema.ts";
import type { NotifyTables } from "../notify/schema.ts";
import type { BackofficeTables } from "../backoffice/schema.ts";
import type { BrandTables } from "../brands/schema.ts";
import type { CompanyTables } from "../companies/schema.ts";
import type { HiringTables } from "../hiring/schema.ts";
import type { LeadTables } from "../leads/schema.ts";
import type { QueueTables } from "../queue/schema.ts";
import type { ScheduleTables } from "../schedule/schema.ts";
import type { Instant } from "../time.ts";
import type { TrackingTables } from "../tracking/schema.ts";
import type { UserTables } from "../users/schema.ts";
import type { WebTables } from "../web/schema.ts";

/**
 * The typed database. Each folder declares its own tables in its `schema.ts` (one `*Table`
 * interface per SQL table, gathered in one `*Tables` interface); this is the one place that
 * puts them together, with type-only imports (the import-rules test allows nothing else here).
 */
export interface Database
  extends QueueTables,
    ScheduleTables,
    UserTables,
    AuditTables,
    NotifyTables,
    CompanyTables,
    TrackingTables,
    LeadTables,
    BrandTables,
    BackofficeTables,
    BudgetTables,
    InvoiceTables,
    WebTables,
    HiringTables {
  schema_migration: SchemaMigrationTable;
}

export interface SchemaMigrationTable {
  name: string;
  applied_at: Instant;
}
