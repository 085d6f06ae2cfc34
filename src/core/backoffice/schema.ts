import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The back office's own entities (migration 0006): tenants, their members and clients, projects, share links. */
export interface BackofficeTables {
  tenant: TenantTable;
  tenant_member: TenantMemberTable;
  client: ClientTable;
  project: ProjectTable;
  share_link: ShareLinkTable;
  share_link_view: ShareLinkViewTable;
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
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
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
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
  client_id: number | null;
  code: string | null;
  name: string;
  status: ProjectStatus;
  created_at: Instant;
  updated_at: Instant;
}

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
  /** The operator's own id (`backoffice import`); null for rows made here. */
  external_id: Generated<string | null>;
  viewed_at: Instant;
  ip_hash: string | null;
  user_agent: string | null;
}
