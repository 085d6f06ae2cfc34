import { immediate } from "../db/handle.ts";
import { ExitCode, LeadjobsError } from "../errors.ts";
import { dedupeKeyOf, parsePayload } from "../jobs/payload.ts";
import { retryPolicy } from "../queue/backoff.ts";
import { claimJobsInTx } from "../queue/claim.ts";
import { bringForward, insertJobs, type EnqueueRequest } from "../queue/enqueue.ts";
import { finishAttemptsInTx, finishedAttempt, type AttemptEnd, type FinishedAttempt } from "../queue/finish.ts";
import { executeJob, RunningJob, type ExecuteDeps } from "./execute.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import { withArticle } from "../util/plural.ts";
import { endedJobs } from "./worker.ts";

export interface RunNowOptions extends ExecuteDeps {
  owner: string;
  type: string;
  payload: unknown;
  leaseMs: number;
  /** Aborting it (Ctrl-C) cancels the job: a foreground run the user stopped must not run later. */
  stop?: AbortSignal | undefined;
  /** Aborting it (a second Ctrl-C) records the job as cancelled at once, without waiting for its handler. */
  kill?: AbortSignal | undefined;
  scheduleId?: number | null;
  batchId?: number | null;
  dedupeKey?: string | null;
  onProgress?: ((run: RunningJob) => void) | undefined;
}

/** How a run ended; `R` is the job type's result, there when the job completed. */
export interface RunNowResult<R = unknown> {
  jobId: number;
  end: AttemptEnd<R>;
  result: R | undefined;
  metrics: Record<string, number>;
}

/**
 * Runs a job type now, in this process, through the same queue records as `process`: the job
 * is enqueued (or the pending job that holds its dedupe key is brought forward) and claimed in
 * one transaction, executed with a lease, and its attempt recorded.
 * A failure follows the type's retry policy, so a later `process` retries it.
 */
export async function runJobNow(o: RunNowOptions): Promise<RunNowResult> {
  const def = await o.loadJobType(o.type);
  const payload = parsePayload(def, o.payload);
  const now = o.clock();
  const request: EnqueueRequest = {
    type: o.type,
    payload,
    maxAttempts: retryPolicy(def.retry).maxAttempts,
    runAt: now,
    scheduleId: o.scheduleId ?? null,
    batchId: o.batchId ?? null,
    dedupeKey: dedupeKeyOf(def, payload, o.dedupeKey),
  };
  const claimed = await immediate(o.db, async (trx) => {
    const [job] = await insertJobs(trx, [request], now);
    if (!job) throw new LeadjobsError("the queue returned no job", "FAILED", { exitCode: ExitCode.Internal });
    // A pending job with the same key is this run, queued already (a retry waiting for its backoff): it runs now.
    if (!job.created) await bringForward(trx, job.id, now);
    const mine = await claimJobsInTx(trx, { owner: o.owner, limit: 1, now, leaseNow: o.leaseClock?.(), leaseMs: o.leaseMs, ids: [job.id] });
    if (mine.length === 0)
      throw new LeadjobsError(
        `${withArticle(o.type)} job with the same key is already running or waits for another job (job ${job.id})`,
        "FAILED",
        {
          exitCode: ExitCode.TempFail,
        },
      );
    return mine;
  });
  const job = claimed[0];
  if (!job) throw new LeadjobsError("could not claim the job just enqueued", "FAILED", { exitCode: ExitCode.Internal });

  const run = new RunningJob(job);
  const running = new Map([[job.id, run]]);
  const keeper = new LeaseKeeper(running, { ...o, clock: o.leaseClock ?? o.clock });
  const onStop = () => run.abort("cancelled");
  if (o.stop?.aborted)
    onStop(); // Ctrl-C while the job was being enqueued
  else o.stop?.addEventListener("abort", onStop);
  // A second signal does not wait for a handler slow to stop: the attempt ends as cancelled now.
  let onKill: (() => void) | undefined;
  const killed = new Promise<FinishedAttempt>((resolve) => {
    const started = o.clock();
    onKill = () => {
      run.abort("cancelled");
      resolve(
        finishedAttempt(job, {
          durationMs: o.clock() - started,
          metrics: run.metrics,
          progress: run.progress,
          end: { kind: "cancelled", reason: "stopped at once by a second signal" },
        }),
      );
    };
    if (o.kill?.aborted) onKill();
    else o.kill?.addEventListener("abort", onKill);
  });
  const progressTimer = o.onProgress ? setInterval(() => o.onProgress?.(run), 200) : undefined;
  keeper.start();
  try {
    const attempt = await Promise.race([executeJob(run, o), killed]);
    if (!attempt) throw new LeadjobsError(`job ${job.id} was taken over by another worker (lease lost)`, "FAILED");
    const now = o.clock();
    const applied = await immediate(o.db, async (trx) => {
      const applied = await finishAttemptsInTx(trx, [attempt], now);
      const ended = applied.has(job.id) ? await endedJobs(trx, [{ run, attempt }]) : undefined;
      if (ended) await o.onEnded(trx, ended, now);
      return applied;
    });
    if (!applied.has(job.id)) throw new LeadjobsError(`job ${job.id} was taken over by another worker (lease lost)`, "FAILED");
    return {
      jobId: job.id,
      end: attempt.end,
      result: attempt.end.kind === "completed" ? attempt.end.result : undefined,
      metrics: run.metrics,
    };
  } finally {
    keeper.stop();
    if (progressTimer) clearInterval(progressTimer);
    o.stop?.removeEventListener("abort", onStop);
    if (onKill) o.kill?.removeEventListener("abort", onKill);
  }
}
