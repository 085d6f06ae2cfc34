import type { Config } from "../config.ts";
import type { Db } from "../db/handle.ts";
import { errorMessage, UsageError } from "../errors.ts";
import { retryPolicy, snoozeLimit } from "../queue/backoff.ts";
import { backoffDelay } from "../util/backoff.ts";
import type { ClaimedJob } from "../queue/claim.ts";
import { type AttemptEnd, type FinishedAttempt, finishedAttempt } from "../queue/finish.ts";
import type { JobEndHook } from "../queue/ended.ts";
import { checkReferences, parsePayload } from "../jobs/payload.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import type { AbortReason, JobContext, JobDefinition, JobProgress } from "../jobs/types.ts";
import { formatDuration } from "../time.ts";
import { errorText } from "../util/redact.ts";
import type { Clock, Logger, Random } from "../types.ts";
import { setLongTimeout, type LongTimer } from "../util/timer.ts";

export interface ExecuteDeps {
  db: Db;
  clock: Clock;
  /**
   * The real clock (the database server's on PostgreSQL), whatever a command's --now pins `clock`
   * to: leases are taken, renewed and judged on it. `clock` when not given.
   */
  leaseClock?: Clock | undefined;
  random: Random;
  log: Logger;
  config: Config;
  env: Readonly<Record<string, string | undefined>>;
  loadJobType: (type: string) => Promise<JobDefinition<unknown>>;
  /** Called inside the transaction that recorded jobs as dead or cancelled (notices, batches: see JobEndHook). */
  onEnded: JobEndHook;
}

/** A job being executed: what the lease keeper and the shutdown path need to reach it. */
export class RunningJob {
  readonly job: ClaimedJob;
  progress: JobProgress | undefined;
  progressDirty = false;
  /** Set when the run timed out: how the attempt ends if the handler has not returned by shutdown. */
  timedOutEnd: AttemptEnd | undefined;
  metrics: Record<string, number> = {};
  /** Called once, on the first abort (executeJob's watch for a handler that does not stop). */
  onAbort: ((reason: AbortReason) => void) | undefined;
  private reason: AbortReason | undefined;
  // Made when the handler first reads its signal: an AbortSignal costs a few µs a job to make,
  // and most runs end without one being read or aborted.
  private controller: AbortController | undefined;
  constructor(job: ClaimedJob) {
    this.job = job;
  }
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
  abort(reason: AbortReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.onAbort?.(reason);
  }
  get abortReason(): AbortReason | undefined {
    return this.reason;
  }
}

/**
 * What a handler gets. A class, not an object literal: a literal with a getter (`signal`) cost
 * about 0.5 µs a job to make.
 */
class HandlerContext implements JobContext<unknown> {
  readonly job: JobContext<unknown>["job"];
  readonly payload: unknown;
  readonly log: Logger;
  readonly db: Db;
  readonly now: Clock;
  readonly random: Random;
  readonly config: Config;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly #run: RunningJob;
  constructor(run: RunningJob, payload: unknown, deps: ExecuteDeps, log: Logger) {
    const { job } = run;
    this.#run = run;
    this.payload = payload;
    this.log = log;
    this.job = {
      id: job.id,
      type: job.type,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      scheduleId: job.scheduleId,
      batchId: job.batchId,
      enqueuedAt: job.createdAt,
    };
    this.db = deps.db;
    this.now = deps.clock;
    this.random = deps.random;
    this.config = deps.config;
    this.env = deps.env;
  }
  get signal(): AbortSignal {
    return this.#run.signal;
  }
  // Fields, not methods: handlers may pass them on detached.
  readonly progress = (p: JobProgress): void => {
    this.#run.progress = p;
    this.#run.progressDirty = true;
  };
  readonly addMetrics = (m: Record<string, number>): void => addTo(this.#run.metrics, m);
}

function addTo(metrics: Record<string, number>, more: Record<string, number>): void {
  for (const [k, v] of Object.entries(more)) metrics[k] = (metrics[k] ?? 0) + v;
}

/**
 * Runs one claimed job's handler and decides how the attempt ended. Never throws.
 * Returns null when the outcome is not ours to record (lease lost, or released on shutdown).
 */
export async function executeJob(run: RunningJob, deps: ExecuteDeps): Promise<FinishedAttempt | null> {
  const { job } = run;
  const log = deps.log.withTag(`job:${job.id}:${job.type}`);
  const started = deps.clock();
  let def: JobDefinition<unknown> | undefined;
  let payload: unknown;
  let timer: LongTimer | undefined;
  let grace: LongTimer | undefined;
  let end: AttemptEnd;
  try {
    def = await deps.loadJobType(job.type);
    payload = parsePayload(def, JSON.parse(job.payload));
    await checkReferences(def, payload, deps); // a terminal, brand or model that is gone: dead too
  } catch (e) {
    // An unknown type or a payload that no longer validates will never succeed: dead at once.
    end = { kind: "dead", error: errorText(errorMessage(e), deps.env) };
    return finishedAttempt(job, { durationMs: deps.clock() - started, end });
  }
  try {
    const timeoutMs = job.timeoutMs ?? def.timeoutMs;
    const definition = def;
    // A handler that ignores its signal would hold its worker slot, and renew its lease, for ever:
    // the `grace` setting after a timeout, a cancel or a lost lease the attempt ends without it
    // (it is left to the process's exit). A shutdown has the worker's own grace period.
    let abandon: (e: Error) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    run.onAbort = (reason) => {
      if (reason === "shutdown") return;
      grace = setLongTimeout(() => {
        log.warn(`the handler did not stop within ${formatDuration(deps.config.grace)} of its ${reason}: the attempt ends without it`);
        abandon(new Error(`not stopped after its ${reason}`));
      }, deps.config.grace);
    };
    if (timeoutMs !== undefined) {
      timer = setLongTimeout(() => {
        run.abort("timeout");
        run.timedOutEnd = failureEnd(undefined, run, definition, deps);
      }, timeoutMs);
    }
    log.debug(`attempt ${job.attempt}/${job.maxAttempts}`);
    const running = def.run(new HandlerContext(run, payload, deps, log));
    const output = await Promise.race([running, abandoned]);
    if (output?.metrics) addTo(run.metrics, output.metrics);
    end = { kind: "completed", result: output?.result };
  } catch (e) {
    end = failureEnd(e, run, def, deps);
    log.debug(`attempt ${job.attempt} ended ${end.kind}: ${errorText(errorMessage(e), deps.env)}`);
  } finally {
    timer?.clear();
    grace?.clear();
    run.onAbort = undefined;
  }
  const reason = run.abortReason;
  if (reason === "lease-lost" || (reason === "shutdown" && end.kind !== "completed")) return null;
  return finishedAttempt(job, {
    durationMs: deps.clock() - started,
    metrics: run.metrics,
    progress: run.progress,
    end,
  });
}

function failureEnd(e: unknown, run: RunningJob, def: JobDefinition<unknown>, deps: ExecuteDeps): AttemptEnd {
  const { job } = run;
  const reason = run.abortReason;
  if (reason === "cancelled") return { kind: "cancelled", reason: "cancelled on request while running" };
  if (reason === "shutdown") return { kind: "released", reason: "worker shutting down" };
  const timedOut = reason === "timeout";
  const message = timedOut
    ? `timed out after ${formatDuration(job.timeoutMs ?? def.timeoutMs ?? 0)}`
    : errorText(errorMessage(e), deps.env);
  // A usage error from a handler is bad input (an unknown brand, a missing field): retrying cannot help.
  if (e instanceof PermanentJobError || e instanceof UsageError) return { kind: "dead", error: message };
  if (e instanceof RetryLaterError) {
    const delayMs = Math.max(0, e.delayMs);
    const limit = snoozeLimit(retryPolicy(def.retry), {
      snoozes: job.snoozes,
      firstStartedAt: job.firstStartedAt,
      now: deps.clock(),
      delayMs,
    });
    // Snoozes give their attempt back; past the type's snooze ceiling the job dies (and is announced).
    if (limit !== null) return { kind: "dead", error: `${message} (${limit})` };
    return { kind: "snoozed", reason: message, runAt: deps.clock() + delayMs };
  }
  if (job.attempt >= job.maxAttempts) return { kind: "dead", error: message, timedOut };
  const delay = backoffDelay(job.attempt, retryPolicy(def.retry), deps.random);
  return { kind: "retry", error: message, runAt: deps.clock() + delay, timedOut };
}
