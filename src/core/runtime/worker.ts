import type { Db } from "../db/handle.ts";
import { dialectOf } from "../db/dialect.ts";
import { isDiskFull, reuseLogSpace } from "../db/space.sqlite.ts";
import { claimJobsInTx, type ClaimedJob } from "../queue/claim.ts";
import { finishAttemptsInTx, finishedAttempt, type AttemptEnd, type FinishedAttempt } from "../queue/finish.ts";
import { completeAndClaim } from "../queue/cycle.ts";
import { queueTransaction } from "../queue/transaction.ts";
import { cancelledAmong, type DeadJob, type EndedJobs } from "../queue/ended.ts";
import { executeJob, RunningJob, type ExecuteDeps } from "./execute.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import { emptyWorkerSummary, type WorkerSummary } from "./summary.ts";
import { setLongTimeout } from "../util/timer.ts";

export type { StopReason, WorkerSummary } from "./summary.ts";

export interface WorkerOptions extends ExecuteDeps {
  db: Db;
  /** `host:pid`, recorded as the lease owner. */
  owner: string;
  concurrency: number;
  types?: readonly string[] | undefined;
  /** Stop claiming after this many jobs. */
  maxJobs?: number | undefined;
  /** Stop claiming at this instant (ms); running jobs then get `graceMs`. */
  deadline?: number | undefined;
  /** Keep polling for new work instead of exiting when the queue is drained. */
  wait: boolean;
  pollMs: number;
  /**
   * With `wait`: a source that wakes the worker when jobs are enqueued (LISTEN on PostgreSQL).
   * While it is live, an idle worker does not poll: it sleeps until woken, until the next
   * pending job is due, or for `idleCheckMs` at most.
   */
  wakeups?: WakeSource | undefined;
  /** The next instant (ms) a pending job becomes due, or undefined when none is pending. */
  nextDue?: (() => Promise<number | undefined>) | undefined;
  leaseMs: number;
  graceMs: number;
  /** Aborted on SIGINT/SIGTERM: stop claiming, give running jobs `graceMs`, release the rest. */
  stop: AbortSignal;
  /** Aborted on a second signal: release running jobs now. */
  kill?: AbortSignal | undefined;
  onJobEnd?: ((job: RunningJob, end: AttemptEnd) => void) | undefined;
}

/**
 * Something that calls `onWake` when there may be new work, and whenever `live` changes: an idle
 * worker sleeps long on a live source, so it must be woken to poll when the source stops working.
 */
export interface WakeSource {
  subscribe(onWake: () => void): void;
  readonly live: boolean;
}

/** Longest sleep of an idle worker with a live wake source: a check in case a notification was missed. */
export const IDLE_CHECK_MS = 10 * 60_000;

/**
 * A latch the worker loop sleeps on. A notification that comes while the loop is not sleeping
 * (a new job announced while it looks for work, after a sleep that timed out) is kept for the
 * next sleep, so it is never lost.
 */
export class Wakeup {
  private waiter: (() => void) | undefined;
  private pending = false;
  /** Resolves at the next notification (or at once for one kept since the last sleep), or after `ms`. */
  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter = () => {
        timer.clear();
        if (this.waiter === waiter) this.waiter = undefined;
        resolve();
      };
      const timer = setLongTimeout(waiter, ms);
      this.waiter = waiter;
    });
  }
  notify(): void {
    if (this.waiter) this.waiter();
    else this.pending = true;
  }
}

/**
 * The worker loop: claims due jobs in batches up to the free concurrency slots, runs them,
 * records their ends in batches, and stops when the queue is drained (or, with `wait`, at the
 * deadline or on a signal). Never leaves a job running: what it cannot finish it releases.
 */
export async function runWorker(o: WorkerOptions): Promise<WorkerSummary> {
  const summary = emptyWorkerSummary();
  const running = new Map<number, RunningJob>();
  const finished: Array<{ run: RunningJob; attempt: FinishedAttempt }> = [];
  const wake = new Wakeup();
  const keeper = new LeaseKeeper(running, { ...o, clock: o.leaseClock ?? o.clock });
  const log = o.log;
  keeper.start();

  const onSignal = () => wake.notify();
  o.wakeups?.subscribe(() => wake.notify());
  o.stop.addEventListener("abort", onSignal);
  o.kill?.addEventListener("abort", onSignal);

  /** Records finished attempts and claims up to `claimLimit` new jobs, atomically (in one transaction or one statement). */
  const cycle = async (claimLimit: number): Promise<ClaimedJob[]> => {
    const batch = finished.splice(0, finished.length);
    if (batch.length === 0 && claimLimit <= 0) return [];
    const now = o.clock();
    // A batch of plain completions needs no hook: on PostgreSQL it and the claim are one statement
    // (completeAndClaim), and without a claim or a batch the other is one statement, atomic on its own.
    const plain = batch.every((b) => b.attempt.end.kind === "completed");
    const atomic = dialectOf(o.db) === "sqlite" || !plain;
    const claim = { owner: o.owner, limit: claimLimit, now, leaseNow: o.leaseClock?.(), leaseMs: o.leaseMs, types: o.types };
    const record = async (trx: Db) => {
      const applied =
        batch.length > 0
          ? await finishAttemptsInTx(
              trx,
              batch.map((b) => b.attempt),
              now,
            )
          : new Set<number>();
      const ended = await endedJobs(
        trx,
        batch.filter((b) => applied.has(b.attempt.jobId)),
      );
      if (ended) await o.onEnded(trx, ended, now);
      const claimed = claimLimit > 0 ? await claimJobsInTx(trx, claim) : [];
      return { applied, claimed };
    };
    const recorded =
      plain && batch.length > 0 && claimLimit > 0
        ? completeAndClaim(
            o.db,
            batch.map((b) => b.attempt),
            claim,
          )
        : atomic
          ? queueTransaction(o.db, record)
          : record(o.db);
    const { applied, claimed } = await recorded.catch((e: unknown) => {
      finished.unshift(...batch); // not recorded: kept for the next try
      throw e;
    });
    for (const { run, attempt } of batch) {
      if (!applied.has(attempt.jobId)) {
        summary.lost++;
        continue;
      }
      count(summary, attempt.end);
      if (attempt.end.kind === "released") log.warn(`job ${run.job.id} (${run.job.type}) released back to the queue`);
      o.onJobEnd?.(run, attempt.end);
    }
    return claimed;
  };
  const flush = () => cycle(0);

  /**
   * Ends the runs still going when the worker stops. They are released (the attempt does not
   * count), except those past their timeout: they count as timed out, or a handler that hangs
   * past its timeout would come back on every run without ever using up its attempts.
   */
  const releaseRunning = () => {
    const now = o.clock();
    for (const run of running.values()) {
      run.abort("shutdown");
      const { job } = run;
      finished.push({
        run,
        attempt: finishedAttempt(job, {
          durationMs: now - job.claimedAt,
          metrics: run.metrics,
          progress: run.progress,
          end: run.timedOutEnd ?? { kind: "released", reason: "worker stopped" },
        }),
      });
    }
    running.clear();
    return flush();
  };

  const start = (run: RunningJob) => {
    running.set(run.job.id, run);
    void executeJob(run, o).then((attempt) => {
      running.delete(run.job.id);
      if (attempt) finished.push({ run, attempt });
      else if (run.abortReason === "lease-lost") summary.lost++;
      wake.notify();
    });
  };

  try {
    for (;;) {
      const stopReason = o.stop.aborted ? "signal" : o.deadline !== undefined && o.clock() >= o.deadline ? "max-runtime" : undefined;
      if (stopReason) {
        summary.stoppedBy = stopReason;
        break;
      }
      // --max-jobs stops claiming; the jobs already claimed run to the end.
      const exhausted = o.maxJobs !== undefined && summary.claimed >= o.maxJobs;
      let free = exhausted ? 0 : o.concurrency - running.size;
      if (o.maxJobs !== undefined) free = Math.min(free, o.maxJobs - summary.claimed);
      const claimed = await cycle(free);
      summary.claimed += claimed.length;
      for (const job of claimed) start(new RunningJob(job));
      if (claimed.length > 0 && claimed.length === free) continue;

      if (running.size === 0 && finished.length === 0 && (!o.wait || exhausted)) {
        summary.stoppedBy = exhausted ? "max-jobs" : "drained";
        break;
      }
      // A signal that came while `cycle` was busy woke no one: do not wait for the next job end.
      if (finished.length === 0 && !o.stop.aborted) {
        const poll = o.wait && !exhausted ? await pollDelay(o, running.size) : Infinity;
        const timeouts = [poll, o.deadline !== undefined ? o.deadline - o.clock() : Infinity];
        await wake.sleep(Math.min(...timeouts));
      }
      await new Promise((r) => setImmediate(r)); // let sibling completions land in the same batch
    }

    // Stopping: give running jobs the grace period, then release what is left.
    const graceEnd = o.clock() + o.graceMs;
    while (running.size > 0 && !o.kill?.aborted && o.clock() < graceEnd) {
      await wake.sleep(graceEnd - o.clock());
      await flush();
    }
    await releaseRunning();
  } catch (e) {
    // The store failed under us (disk full, database locked past the timeout): give back what we
    // hold, so no job loses an attempt to a rescue. A full disk ends the run like a signal: the
    // log's space is reused to record the ends, and the caller still reports the run.
    if (!isDiskFull(e)) {
      await releaseRunning().catch(() => undefined);
      throw e;
    }
    log.error(`the disk is full: stopping${running.size > 0 ? `; ${running.size} running job(s) are released` : ""}`);
    summary.stoppedBy = "disk-full";
    // The runs are aborted by releaseRunning, which records their release at once: aborted any
    // earlier, a handler could return during the checkpoint and drop out of `running` unreleased.
    await reuseLogSpace(o.db);
    await releaseRunning().catch((again: unknown) =>
      log.error(`could not record the released jobs (${(again as Error).message}): the next run rescues them`),
    );
  } finally {
    keeper.stop();
    o.stop.removeEventListener("abort", onSignal);
    o.kill?.removeEventListener("abort", onSignal);
  }
  return summary;
}

/** The jobs a batch of recorded ends left dead or cancelled, or undefined when it left none. */
export async function endedJobs(
  trx: Db,
  batch: ReadonlyArray<{ run: RunningJob; attempt: FinishedAttempt }>,
): Promise<EndedJobs | undefined> {
  const dead: DeadJob[] = [];
  const unsettled: number[] = [];
  for (const { run, attempt } of batch) {
    const { end } = attempt;
    if (end.kind === "dead") dead.push({ id: run.job.id, type: run.job.type, error: end.error, attempts: run.job.attempt });
    else if (end.kind !== "completed") unsettled.push(attempt.jobId);
  }
  const cancelled = await cancelledAmong(trx, unsettled);
  return dead.length > 0 || cancelled.length > 0 ? { dead, cancelled } : undefined;
}

function count(s: WorkerSummary, end: AttemptEnd): void {
  switch (end.kind) {
    case "completed":
      s.completed++;
      break;
    case "retry":
      s.retried++;
      break;
    case "dead":
      s.died++;
      break;
    case "snoozed":
      s.snoozed++;
      break;
    case "cancelled":
      s.cancelled++;
      break;
    case "released":
      s.released++;
      break;
  }
}

/**
 * How long a waiting worker sleeps before it looks for work again: `pollMs`, or with a live wake
 * source (which wakes it for new jobs) until the next pending job is due. A worker with jobs
 * running still polls: a slot may free up for jobs that were due all along.
 */
async function pollDelay(o: WorkerOptions, running: number): Promise<number> {
  if (!o.wakeups?.live || !o.nextDue || running > 0) return o.pollMs;
  const next = await o.nextDue();
  return Math.max(o.pollMs, Math.min(IDLE_CHECK_MS, next === undefined ? IDLE_CHECK_MS : next - o.clock()));
}
