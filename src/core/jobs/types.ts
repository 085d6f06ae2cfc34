import type { z } from "zod";
import type { Config } from "../config.ts";
import type { Db } from "../db/handle.ts";
import type { RetryPolicy } from "../queue/backoff.ts";
import type { Clock, Logger, Random } from "../types.ts";

/** What a handler sees while it runs. */
export interface JobContext<P> {
  readonly job: {
    readonly id: number;
    readonly type: string;
    /** 1-based number of this attempt. */
    readonly attempt: number;
    readonly maxAttempts: number;
    readonly scheduleId: number | null;
    readonly batchId: number | null;
    /** When the job was enqueued (the same on every attempt). */
    readonly enqueuedAt: number;
  };
  readonly payload: P;
  /** Fires on cancel, timeout, lost lease and shutdown; `signal.reason` says which. */
  readonly signal: AbortSignal;
  readonly db: Db;
  readonly now: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly config: Config;
  /** The process environment (API keys come from here, never from the database). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Records progress; written to the job row at most about once a second. */
  progress(progress: JobProgress): void;
  /** Adds to the attempt's metrics (summed into schedule counters by later features). */
  addMetrics(metrics: Record<string, number>): void;
}

export interface JobProgress {
  done?: number;
  total?: number;
  message?: string;
  [key: string]: unknown;
}

/** What a handler returns: its result (stored on the job, typed by the job type) and metrics. */
export interface JobOutput<R = unknown> {
  result?: R;
  metrics?: Record<string, number>;
}

/** A job type: a name, a validated payload, a retry policy and a handler whose result is an `R`. */
export interface JobDefinition<P = unknown, R = unknown> {
  readonly type: string;
  /** One line for `jobs types` and help. */
  readonly summary: string;
  readonly payload: z.ZodType<P>;
  readonly retry?: Partial<RetryPolicy>;
  /** Abort the handler after this long (its signal fires); the attempt counts as timed out. */
  readonly timeoutMs?: number;
  /** Payload limits, when the defaults (64 KiB of JSON, 2048 characters per string: see payload.ts) do not fit. */
  readonly limits?: { payloadBytes?: number; stringLength?: number };
  run(ctx: JobContext<P>): Promise<JobOutput<R> | void>;
  /**
   * The dedupe key of every job of this type with `payload`, for a type that must have one live
   * job per subject (an invoice's PDF): however a job is enqueued (a command, `jobs add`, a
   * schedule), while a pending or running job holds the key no second one is made. The key is
   * `TYPE:subject`: the type owns every key of that form, which no job of another type may take.
   */
  dedupeKey?(payload: P): string;
  /**
   * The web batch a job of this type with `payload` runs, for a type whose payload names one:
   * however the job is enqueued it is attached to that batch (job.batch_id), so the batch's
   * progress, cancel and dashboard see it. Null when the payload names none.
   */
  batchOf?(payload: P): number | null;
  /**
   * Refuses (UsageError) a payload whose references can only fail: an unknown terminal, brand,
   * provider or model. Called when a job or schedule is added and again when the job runs.
   */
  checkReferences?(payload: P, ctx: ReferenceContext): Promise<void>;
  /** What one run is expected to cost (API spend), so `schedule preview` can show a monthly bill. */
  estimateRunCost?(payload: P, config: Config): RunCostEstimate;
}

/** What a reference check may look at. */
export type ReferenceContext = Pick<JobContext<unknown>, "db" | "config" | "env">;

export interface RunCostEstimate {
  /**
   * Expected cost of one run, in the currency's minor unit (öre for SEK, cents for USD), not
   * rounded (a run may cost a fraction of a cent); null when a price is unknown.
   */
  amountMinor: number | null;
  currency: string;
  /** How the figure was reached, for humans. */
  basis: string;
  /** A flat price per unit from configuration (`leadRates`), shown beside the token-based figure. */
  flat?: FlatRateEstimate;
}

export interface FlatRateEstimate {
  /** What is priced: "lead". */
  unit: string;
  /** Price of one unit, in the currency's minor unit. */
  perUnitMinor: number;
  /** Units one run handles. */
  unitsPerRun: number;
  /** Where the rate comes from: `leadRates.quick`. */
  source: string;
}

/** Why a job's signal fired. */
export type AbortReason = "cancelled" | "timeout" | "lease-lost" | "shutdown";
