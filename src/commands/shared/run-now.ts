import { ExitCode, LeadjobsError } from "../../core/errors.ts";
import type { AttemptEnd } from "../../core/queue/finish.ts";
import type { ExecuteDeps, RunningJob } from "../../core/runtime/execute.ts";
import { runJobNow, type RunNowOptions, type RunNowResult } from "../../core/runtime/run-now.ts";
import { runWorker, type WorkerSummary } from "../../core/runtime/worker.ts";
import { formatRelative, toInstant } from "../../core/time.ts";
import { loadJobType, type JobResultOf, type JobTypeName } from "../../job-types.ts";
import { checkReferences } from "../../core/jobs/payload.ts";
import type { CommandContext } from "./context.ts";
import { jobEndHook } from "./job-ends.ts";
import { rescueLost } from "./rescue-lost.ts";
import { onStopSignals, type StopSignals } from "./signals.ts";

// The one way commands run jobs in this process: recorded like a job run by `process`.

/** What the runtime needs from a command's context: every job type, and what follows a job's death or cancel (jobEndHook). */
export function runtimeDeps(ctx: CommandContext): ExecuteDeps {
  return {
    db: ctx.db,
    clock: ctx.clock,
    leaseClock: ctx.leaseClock,
    random: ctx.random,
    log: ctx.log,
    config: ctx.config,
    env: ctx.env,
    loadJobType,
    onEnded: jobEndHook(ctx.config),
  };
}

/**
 * The run of a `T` job, typed: its result is what `T`'s handler returned. The runtime sees
 * results of unknown type; job-types.ts ties each name to its definition, so this is the one place
 * a command's view of a job result is asserted.
 */
function typedRun<T extends JobTypeName>(run: RunNowResult): RunNowResult<JobResultOf<T>> {
  return run as RunNowResult<JobResultOf<T>>;
}

/**
 * Runs one job of `type` now, in this process; aborting `signals.stop` cancels it. A payload
 * whose references can only fail (an unknown terminal, brand, provider, model) is refused
 * first: exit 2, no job. The jobs of crashed runs are taken back first (rescueLost), so a killed
 * earlier run of this job does not block it.
 */
export async function runTypeNow<T extends JobTypeName>(
  ctx: CommandContext,
  type: T,
  payload: unknown,
  signals: StopSignals,
  o: { dedupeKey?: string; batchId?: number; onProgress?: RunNowOptions["onProgress"] } = {},
): Promise<RunNowResult<JobResultOf<T>>> {
  await checkReferences(await loadJobType(type), payload, ctx);
  await rescueLost(ctx);
  return typedRun<T>(
    await runJobNow({
      ...runtimeDeps(ctx),
      owner: ctx.owner,
      type,
      payload,
      leaseMs: ctx.config.lease,
      stop: signals.stop,
      kill: signals.kill,
      dedupeKey: o.dedupeKey ?? null,
      batchId: o.batchId ?? null,
      onProgress: o.onProgress,
    }),
  );
}

/** Runs a job type now in this process, with its own Ctrl-C handling (a first Ctrl-C cancels it). */
export async function runInForeground<T extends JobTypeName>(
  ctx: CommandContext,
  type: T,
  payload: unknown,
): Promise<RunNowResult<JobResultOf<T>>> {
  const signals = onStopSignals();
  try {
    return await runTypeNow(ctx, type, payload, signals);
  } finally {
    signals.dispose();
  }
}

/** Runs the due jobs of these types in this process (a `process --type ...` without the command), crashed runs' jobs taken back first. */
export async function runDueJobs<T extends JobTypeName>(
  ctx: CommandContext,
  types: readonly T[],
  signals: StopSignals,
  o: { concurrency?: number; onJobEnd?: (run: RunningJob, end: AttemptEnd<JobResultOf<T>>) => void } = {},
): Promise<WorkerSummary> {
  const { onJobEnd } = o;
  await rescueLost(ctx);
  return runWorker({
    ...runtimeDeps(ctx),
    owner: ctx.owner,
    concurrency: o.concurrency ?? 1,
    types,
    maxJobs: undefined,
    deadline: undefined,
    wait: false,
    pollMs: ctx.config.poll,
    leaseMs: ctx.config.lease,
    graceMs: ctx.config.grace,
    stop: signals.stop,
    kill: signals.kill,
    // Only jobs of `types` run here, so an end's result is one of theirs (see typedRun).
    onJobEnd: onJobEnd && ((run, end) => onJobEnd(run, end as AttemptEnd<JobResultOf<T>>)),
  });
}

/** The result of a run that completed: a job type that declares a result returns it whenever it completes. */
export function resultOf<R>(run: RunNowResult<R>): R {
  if (run.end.kind !== "completed" || run.result === undefined) {
    throw new LeadjobsError(`job ${run.jobId} ${run.end.kind} without a result`, "FAILED", { exitCode: ExitCode.Internal });
  }
  return run.result;
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
