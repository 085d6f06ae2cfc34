import type { Generated, Insertable, Selectable } from "kysely";
import type { Instant } from "../time.ts";
import type { BrandTables } from "./schema-brands.ts";
import type { BackofficeTables } from "./schema-backoffice.ts";
import type { HiringTables } from "./schema-hiring.ts";
import type { ScheduleTables } from "./schema-schedules.ts";
import type { WebTables } from "./schema-web.ts";
import type { LeadTables } from "./schema-leads.ts";

/**
 * The typed database: one `*Table` interface per SQL table. The queue and company tables
 * are below; each feature declares its own in `schema-<area>.ts` (an interface of its
 * tables) and adds that interface to the `extends` list here.
 */
export interface Database extends CoreTables, ScheduleTables, BrandTables, BackofficeTables, WebTables, LeadTables, HiringTables {}

export interface CoreTables {
  job: JobTable;
  job_attempt: JobAttemptTable;
  command_run: CommandRunTable;
  schema_migration: SchemaMigrationTable;
  company: CompanyTable;
  app_user: AppUserTable;
  company_tracking: CompanyTrackingTable;
  terminal: TerminalTable;
  lead: LeadTable;
}

export interface SchemaMigrationTable {
  name: string;
  applied_at: Instant;
}

export const JOB_STATES = ["pending", "running", "completed", "dead", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobTable {
  id: Generated<number>;
  type: string;
  /** JSON text, validated against the job type's schema on enqueue. */
  payload: string;
  state: JobState;
  /** Higher runs first. */
  priority: number;
  run_at: Instant;
  /** Claims that counted (a release after SIGTERM gives one back). */
  attempts: number;
  max_attempts: number;
  dedupe_key: string | null;
  /** `host:pid` of the worker holding the lease. */
  lease_owner: string | null;
  /** Fencing token: bumped on every claim; complete/fail/renew must present it. */
  lease_token: number;
  lease_expires_at: Instant | null;
  cancel_requested_at: Instant | null;
  progress: string | null;
  result: string | null;
  last_error: string | null;
  created_at: Instant;
  updated_at: Instant;
  started_at: Instant | null;
  finished_at: Instant | null;
  schedule_id: number | null;
  batch_id: number | null;
  /** The job this one waits for: it becomes due when that one completes. */
  depends_on: number | null;
  /** 1 while `depends_on` has not completed yet. */
  blocked: Generated<0 | 1>;
  /** Run timeout for this job, overriding its type's. */
  timeout_ms: number | null;
}
export type JobRow = Selectable<JobTable>;
export type NewJobRow = Insertable<JobTable>;

export const ATTEMPT_OUTCOMES = [
  "running", "completed", "failed", "timed_out", "lost", "released", "snoozed", "cancelled",
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface JobAttemptTable {
  id: Generated<number>;
  job_id: number;
  attempt: number;
  token: number;
  worker: string;
  started_at: Instant;
  finished_at: Instant | null;
  outcome: AttemptOutcome;
  error: string | null;
  duration_ms: number | null;
  /** JSON object of numbers the handler reported (leads found, pages fetched, ...). */
  metrics: string | null;
}
export type JobAttemptRow = Selectable<JobAttemptTable>;

export interface CommandRunTable {
  id: Generated<number>;
  command: string;
  owner: string;
  started_at: Instant;
  finished_at: Instant | null;
  exit_code: number | null;
  summary: string | null;
}
export type CommandRunRow = Selectable<CommandRunTable>;

export const COMPANY_STATUSES = ["active", "inactive", "liquidation", "bankruptcy", "deregistered"] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export interface CompanyTable {
  orgnr: string;
  name: string;
  legal_form: string | null;
  status: CompanyStatus;
  street: string | null;
  postcode: string | null;
  town: string | null;
  municipality: string | null;
  /** JSON array of 5-digit SNI codes, the primary one first. */
  sni_codes: string;
  description: string | null;
  website: string | null;
  revenue_tkr: number | null;
  employees: number | null;
  reklamsparr: 0 | 1;
  registered_on: string | null;
  deregistered_on: string | null;
  source: string;
  created_at: Instant;
  updated_at: Instant;
}
export type CompanyRow = Selectable<CompanyTable>;

export const USER_ROLES = ["admin", "manager", "sales"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string | null;
  email: string | null;
  role: UserRole;
  created_at: Instant;
}

export interface CompanyTrackingTable {
  id: Generated<number>;
  user_id: number;
  orgnr: string;
  rank: number;
  /** JSON array of lower-case keywords. */
  keywords: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface TerminalTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  is_default: 0 | 1;
  created_at: Instant;
}

export const LEAD_STATUSES = ["new", "qualified", "contacted", "customer", "rejected"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface LeadTable {
  id: Generated<number>;
  orgnr: string;
  status: LeadStatus;
  terminal_id: number | null;
  /** Who created it: `job:123`, `user:anna`, `import:leads.csv`. */
  source: string;
  website: string | null;
  /** Latest AI fit score, 0-100. */
  score: number | null;
  segment: string | null;
  analysed_at: Instant | null;
  web_analysed_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}
export type LeadRow = Selectable<LeadTable>;
