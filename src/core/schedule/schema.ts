import type { Generated, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** Tables of schedules, their fires and audit trail, and company refresh state (migration 0003). */
export interface ScheduleTables {
  schedule: ScheduleTable;
  schedule_fire: ScheduleFireTable;
  schedule_audit: ScheduleAuditTable;
  company_refresh: CompanyRefreshTable;
  /** One row: the highest schedule id ever given, so ids are never reused (migration 0009). */
  schedule_id_high_water: { only_row: number; last_id: number };
}

export const MISFIRE_POLICIES = ["coalesce", "skip", "all"] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export interface ScheduleTable {
  id: Generated<number>;
  name: string;
  type: string;
  /** JSON text, validated against the job type's schema. */
  payload: string;
  owner: string;
  active: 0 | 1;
  /** IANA zone the expression is read in. */
  tz: string;
  /** 5-field cron expression (the simple form is stored translated). */
  cron: string;
  /** Simple form (`--at HH:MM --days SET`) as written, for display. */
  at_time: string | null;
  at_days: string | null;
  misfire: MisfirePolicy;
  /** skip: fires later than this are dropped. */
  grace_ms: number;
  /** all: at most this many missed fires run at once. */
  catch_up_cap: number;
  priority: number;
  created_at: Instant;
  updated_at: Instant;
  /** Every fire at or before this instant has been accounted for (ran or missed). */
  checked_until: Instant;
  /** The first fire after checked_until; null when the expression never fires again. */
  next_fire_at: Instant | null;
  total_runs: Generated<number>;
  missed_runs: Generated<number>;
  /** Scheduled time of the latest run. */
  last_fire_at: Instant | null;
  /** When that run was enqueued. */
  last_run_at: Instant | null;
  last_job_id: number | null;
  /** Run timeout of the jobs it enqueues, overriding their type's (migration 0010). */
  timeout_ms: number | null;
  /** A follow-up job type enqueued with each run, waiting for it (depends_on): it runs only if the run completed. */
  then_type: string | null;
  /** JSON text, validated against the follow-up type's schema. */
  then_payload: string | null;
}
export type ScheduleRow = Selectable<ScheduleTable>;

export type FireKind = "run" | "missed" | "trigger";

export interface ScheduleFireTable {
  id: Generated<number>;
  schedule_id: number;
  kind: FireKind;
  /** The scheduled instant (a trigger: when it was triggered). */
  fire_at: Instant;
  /** A missed row may stand for several fires, fire_at .. last_fire_at. */
  fire_count: number;
  last_fire_at: Instant | null;
  recorded_at: Instant;
  late_ms: number;
  /** The misfire policy applied, or "manual" for a trigger. */
  policy: string;
  reason: string | null;
  job_id: number | null;
  actor: string | null;
}
export type ScheduleFireRow = Selectable<ScheduleFireTable>;

export type AuditAction = "add" | "edit" | "pause" | "resume" | "rm" | "trigger";

export interface ScheduleAuditTable {
  id: Generated<number>;
  schedule_id: number;
  schedule_name: string;
  action: AuditAction;
  actor: string;
  at: Instant;
  /** JSON: {field: [before, after]}; the whole schedule on add and rm. */
  changes: string;
}
export type ScheduleAuditRow = Selectable<ScheduleAuditTable>;

export type RefreshOutcome = "ok" | "skipped" | "failed";

export interface CompanyRefreshTable {
  orgnr: string;
  /** The latest refresh attempt that finished, whatever its outcome. */
  last_refreshed_at: Instant | null;
  /** When the job of that refresh was enqueued: the rank cadence counts from here (migration 0010). */
  due_from: Instant | null;
  last_success_at: Instant | null;
  last_outcome: RefreshOutcome | null;
  last_message: string | null;
  consecutive_failures: Generated<number>;
  /** Set after too many failures in a row: the cadence skips the company until it is reset. */
  problem: Generated<0 | 1>;
  problem_since: Instant | null;
  updated_at: Instant;
}
export type CompanyRefreshRow = Selectable<CompanyRefreshTable>;
