import type { Generated, Insertable, Selectable } from "kysely";
import type { Instant } from "../time.ts";

/** The queue's own tables (migrations/0001_queue.sql): only `core/queue` writes them. */
export interface QueueTables {
  job: JobTable;
  job_attempt: JobAttemptTable;
  command_run: CommandRunTable;
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
  /** When the running attempt started (null when none runs): its history row (job_attempt) is written when it ends. */
  claimed_at: Instant | null;
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

/**
 * The running attempt of a running job, which has no history row until it ends: its number,
 * claim, worker and start are on the job row.
 */
export function runningAttempt(
  job: Pick<JobRow, "id" | "attempts" | "lease_token" | "lease_owner" | "claimed_at" | "updated_at">,
): Pick<JobAttemptRow, "job_id" | "attempt" | "token" | "worker" | "started_at"> {
  return {
    job_id: job.id,
    attempt: job.attempts,
    token: job.lease_token,
    worker: job.lease_owner ?? "unknown",
    started_at: job.claimed_at ?? job.updated_at,
  };
}

export type NewJobRow = Insertable<JobTable>;

export const ATTEMPT_OUTCOMES = ["running", "completed", "failed", "timed_out", "lost", "released", "snoozed", "cancelled"] as const;

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
