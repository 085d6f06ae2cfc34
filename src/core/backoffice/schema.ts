import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The back-office tables (migration 0006): money in öre, hours in minutes, invoice dates YYYY-MM-DD. */
export interface BackofficeTables {
  tenant: TenantTable;
  tenant_member: TenantMemberTable;
  client: ClientTable;
  project: ProjectTable;
  project_budget: ProjectBudgetTable;
  budget_threshold: BudgetThresholdTable;
  time_entry: TimeEntryTable;
  material_cost: MaterialCostTable;
  budget_alert: BudgetAlertTable;
  notification: NotificationTable;
  vat_rate: VatRateTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  share_link: ShareLinkTable;
  share_link_view: ShareLinkViewTable;
  audit_log: AuditLogTable;
}

/** A calendar date, YYYY-MM-DD. */
export type IsoDate = string;

export interface TenantTable {
  id: Generated<number>;
  slug: string;
  /** The seller's registered name. */
  name: string;
  orgnr: string | null;
  vat_number: string | null;
  street: string | null;
  postcode: string | null;
  town: string | null;
  country: Generated<string>;
  /** Säte. */
  registered_office: string | null;
  f_skatt: 0 | 1;
  bankgiro: string | null;
  plusgiro: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  payment_terms_days: Generated<number>;
  /** 1 when the bank agreement checks OCR references with a length digit. */
  ocr_length_digit: Generated<0 | 1>;
  /** The next number of the gap-free invoice series. */
  next_invoice_number: Generated<number>;
  created_at: Instant;
  updated_at: Instant;
}
export type TenantRow = Selectable<TenantTable>;

export const MEMBER_ROLES = ["admin", "manager"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface TenantMemberTable {
  tenant_id: number;
  user_id: number;
  role: MemberRole;
  created_at: Instant;
}

export interface ClientTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  orgnr: string | null;
  vat_number: string | null;
  street: string | null;
  postcode: string | null;
  town: string | null;
  country: Generated<string>;
  email: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export const PROJECT_STATUSES = ["planned", "active", "paused", "completed", "archived"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface ProjectTable {
  id: Generated<number>;
  tenant_id: number;
  client_id: number | null;
  code: string | null;
  name: string;
  status: ProjectStatus;
  created_at: Instant;
  updated_at: Instant;
}

export interface ProjectBudgetTable {
  project_id: number;
  hours_minutes: number | null;
  material_ore: number | null;
  total_ore: number | null;
  created_at: Instant;
  updated_at: Instant;
}

export const BUDGET_TYPES = ["hours", "material", "total"] as const;
export type BudgetType = (typeof BUDGET_TYPES)[number];

export interface BudgetThresholdTable {
  id: Generated<number>;
  project_id: number;
  type: BudgetType;
  percent: number;
  notify: 0 | 1;
}

export interface TimeEntryTable {
  id: Generated<number>;
  project_id: number;
  user_id: number | null;
  work_date: IsoDate;
  minutes: number;
  hourly_rate_ore: number;
  description: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface MaterialCostTable {
  id: Generated<number>;
  project_id: number;
  cost_date: IsoDate;
  description: string;
  amount_ore: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface BudgetAlertTable {
  id: Generated<number>;
  tenant_id: number;
  project_id: number;
  type: BudgetType;
  threshold_percent: number;
  /** Minutes (hours) or öre (material, total) when the alert was created. */
  used: number;
  budget: number;
  usage_percent: number;
  status: "active" | "resolved";
  created_at: Instant;
  created_by: string;
  resolved_at: Instant | null;
  resolved_by: string | null;
  resolution: string | null;
}
export type BudgetAlertRow = Selectable<BudgetAlertTable>;

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "skipped"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationTable {
  id: Generated<number>;
  kind: string;
  tenant_id: number | null;
  user_id: number | null;
  recipient: string;
  subject: string;
  body: string;
  /** JSON object. */
  data: string;
  /** JSON array of channel names it must go through. */
  channels: string;
  /** JSON array of channel names it went through. */
  delivered_channels: string;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: Instant | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Instant;
  sent_at: Instant | null;
}
export type NotificationRow = Selectable<NotificationTable>;

export interface VatRateTable {
  id: Generated<number>;
  category: string;
  /** Basis points: 2500 = 25 %. */
  rate_bp: number;
  valid_from: IsoDate;
  /** Inclusive; null = until further notice. */
  valid_to: IsoDate | null;
  label: string;
  invoice_note: string | null;
}
export type VatRateRow = Selectable<VatRateTable>;

export interface InvoiceTable {
  id: Generated<number>;
  tenant_id: number;
  client_id: number | null;
  project_id: number | null;
  kind: "invoice" | "credit";
  credited_invoice_id: number | null;
  status: "draft" | "issued";
  number: number | null;
  invoice_date: IsoDate | null;
  delivery_date: IsoDate | null;
  due_date: IsoDate | null;
  ocr: string | null;
  currency: Generated<string>;
  reverse_charge: 0 | 1;
  buyer_name: string | null;
  buyer_street: string | null;
  buyer_postcode: string | null;
  buyer_town: string | null;
  buyer_country: string | null;
  buyer_orgnr: string | null;
  buyer_vat_number: string | null;
  your_reference: string | null;
  our_reference: string | null;
  notes: string | null;
  pdf_path: string | null;
  pdf_sha256: string | null;
  pdf_generated_at: Instant | null;
  /** The updated_at the PDF shows: the PDF is out of date when it differs from updated_at. */
  pdf_source_updated_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}
export type InvoiceRow = Selectable<InvoiceTable>;

export interface InvoiceLineTable {
  id: Generated<number>;
  invoice_id: number;
  position: number;
  description: string;
  /** Thousandths of a unit: 7.5 hours = 7500. */
  quantity_milli: number;
  unit: string;
  /** Excluding VAT. */
  unit_price_ore: number;
  vat_category: string;
}
export type InvoiceLineRow = Selectable<InvoiceLineTable>;

export interface ShareLinkTable {
  id: Generated<number>;
  tenant_id: number;
  token: string;
  resource_type: "invoice" | "project" | "document";
  resource_id: number;
  expires_at: Instant | null;
  max_views: number | null;
  view_count: number;
  active: 0 | 1;
  deactivated_at: Instant | null;
  deactivation_reason: string | null;
  created_by: number | null;
  /** Bumped on every change (optimistic checks). */
  version: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface ShareLinkViewTable {
  id: Generated<number>;
  link_id: number;
  viewed_at: Instant;
  ip_hash: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: number | null;
  table_name: string;
  row_id: number;
  action: "insert" | "update" | "delete";
  old_values: string | null;
  new_values: string | null;
  changed_fields: string;
  actor_user_id: number | null;
  worker: string | null;
  created_at: Instant;
}
export type AuditLogRow = Selectable<AuditLogTable>;
