import { deadJobNotifier } from "../../core/notify/dead-jobs.ts";
import { ExitCode } from "../../core/errors.ts";
import type { AttemptEnd } from "../../core/queue/finish.ts";
import type { ExecuteDeps } from "../../core/runtime/execute.ts";
import { runJobNow, type RunNowOptions, type RunNowResult } from "../../core/runtime/run-now.ts";
import { runWorker, type WorkerOptions, type WorkerSummary } from "../../core/runtime/worker.ts";
import { formatRelative, toInstant } from "../../core/time.ts";
import { loadJobType } from "../../job-types.ts";
import { checkReferences } from "../../core/jobs/payload.ts";
import type { CommandContext } from "./context.ts";
import { onStopSignals, type StopSignals } from "./signals.ts";

// The one way commands run jobs in this process: recorded like a job run by `process`.

/** What the runtime needs from a command's context: every job type, and dead jobs announced. */
export function runtimeDeps(ctx: CommandContext): ExecuteDeps {
  return { db: ctx.db, clock: ctx.clock, random: ctx.random, log: ctx.log, config: ctx.config, env: ctx.env, loadJobType, onDead: deadJobNotifier(ctx.config) };
}

/**
 * Runs one job of `type` now, in this process; aborting `signals.stop` cancels it. A payload
 * whose references can only fail (an unknown terminal, brand, provider, model) is refused
 * first: exit 2, no job.
 */
export async function runTypeNow(
  ctx: CommandContext, type: string, payload: unknown, signals: StopSignals,
  o: { dedupeKey?: string; batchId?: number; onProgress?: RunNowOptions["onProgress"] } = {},
): Promise<RunNowResult> {
  await checkReferences(await loadJobType(type), payload, ctx);
  return runJobNow({
    ...runtimeDeps(ctx), owner: ctx.owner, type, payload, leaseMs: ctx.config.lease, stop: signals.stop, kill: signals.kill,
    dedupeKey: o.dedupeKey ?? null, batchId: o.batchId ?? null, onProgress: o.onProgress,
  });
}

/** Runs a job type now in this process, with its own Ctrl-C handling (a first Ctrl-C cancels it). */
export async function runInForeground(ctx: CommandContext, type: string, payload: unknown): Promise<RunNowResult> {
  const signals = onStopSignals();
  try {
    return await runTypeNow(ctx, type, payload, signals);
  } finally {
    signals.dispose();
  }
}

/** Runs the due jobs of these types in this process (a `process --type ...` without the command). */
export function runDueJobs(
  ctx: CommandContext, types: readonly string[], signals: StopSignals,
  o: { concurrency?: number; onJobEnd?: WorkerOptions["onJobEnd"] } = {},
): Promise<WorkerSummary> {
  return runWorker({
    ...runtimeDeps(ctx), owner: ctx.owner, concurrency: o.concurrency ?? 1, types, maxJobs: undefined, deadline: undefined,
    wait: false, pollMs: ctx.config.poll, leaseMs: ctx.config.lease, graceMs: ctx.config.grace,
    stop: signals.stop, kill: signals.kill, onJobEnd: o.onJobEnd,
  });
}

/** Why a run did not complete and, when it waits in the queue, when `process` takes it up again (for --json). */
export function runEnd(end: AttemptEnd): { error?: string; runAt?: string } {
  const out: { error?: string; runAt?: string } = {};
  const why = "error" in end ? end.error : "reason" in end ? end.reason : undefined;
  if (why !== undefined) out.error = why;
  if ("runAt" in end) out.runAt = toInstant(end.runAt);
  return out;
}

/** The job waits in the queue (a retry with backoff, or the end of a rate limit): `process` finishes it. */
export const waitsInQueue = (end: AttemptEnd): boolean => end.kind === "retry" || end.kind === "snoozed";

/**
 * One line on stderr for a foreground run that did not complete, and its exit code: 75 when the
 * job waits in the queue for `leadjobs process`, 1 when it died or was cancelled.
 */
export function reportUnfinished(run: RunNowResult, what: string, now: number): number {
  const { error, runAt } = runEnd(run.end);
  const later = runAt ? ` (\`leadjobs process\` continues it ${formatRelative(runAt, now)})` : "";
  process.stderr.write(`leadjobs: ${what} job ${run.jobId} ${run.end.kind}: ${error ?? "did not complete"}${later}\n`);
  return waitsInQueue(run.end) ? ExitCode.TempFail : ExitCode.Failure;
}
