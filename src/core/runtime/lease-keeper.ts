import type { Db } from "../db/handle.ts";
import { errorMessage } from "../errors.ts";
import { cancelRequests, renewLeases, saveProgress } from "../queue/lease.ts";
import type { Clock, Logger } from "../types.ts";
import type { RunningJob } from "./execute.ts";

export interface LeaseKeeperOptions {
  db: Db;
  leaseMs: number;
  clock: Clock;
  log: Logger;
}

/**
 * Keeps the leases of a worker's running jobs alive (renewed every third of the lease),
 * writes their progress about once a second, and passes on cancel requests and lost leases
 * to the handlers through their abort signals. A handler that was told to stop (timeout,
 * cancel) keeps its lease until it has returned: the job must not run twice at once.
 */
export class LeaseKeeper {
  private readonly o: LeaseKeeperOptions;
  private readonly jobs: ReadonlyMap<number, RunningJob>;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private lastRenew: number;

  constructor(jobs: ReadonlyMap<number, RunningJob>, o: LeaseKeeperOptions) {
    this.jobs = jobs;
    this.o = o;
    this.lastRenew = o.clock();
  }

  start(): void {
    const every = Math.max(50, Math.min(1000, Math.floor(this.o.leaseMs / 3)));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(): Promise<void> {
    if (this.busy || this.jobs.size === 0) return;
    this.busy = true;
    try {
      const now = this.o.clock();
      const live = [...this.jobs.values()].filter((r) => r.abortReason !== "lease-lost");
      for (const r of live) {
        if (!r.progressDirty) continue;
        r.progressDirty = false;
        await saveProgress(this.o.db, { id: r.job.id, token: r.job.token }, r.progress, now);
      }
      let cancelled: Set<number>;
      if (now - this.lastRenew >= this.o.leaseMs / 3) {
        const check = await renewLeases(
          this.o.db,
          live.map((r) => ({ id: r.job.id, token: r.job.token })),
          now,
          this.o.leaseMs,
        );
        this.lastRenew = now;
        for (const r of live) {
          if (!check.held.has(r.job.id)) {
            this.o.log.warn(`job ${r.job.id} (${r.job.type}): lease lost to another worker; stopping it`);
            r.abort("lease-lost");
          }
        }
        cancelled = check.cancelRequested;
      } else {
        cancelled = await cancelRequests(
          this.o.db,
          live.map((r) => r.job.id),
        );
      }
      for (const id of cancelled) this.jobs.get(id)?.abort("cancelled");
    } catch (e) {
      this.o.log.warn(`lease upkeep failed (will retry): ${errorMessage(e)}`);
    } finally {
      this.busy = false;
    }
  }
}
