import { loadJobType } from "../../job-types.ts";
import { runJobNow, type RunNowResult } from "../../core/runtime/run-now.ts";
import { runWorker, type WorkerOptions, type WorkerSummary } from "../../core/runtime/worker.ts";
import type { CommandContext } from "./context.ts";
import type { StopSignals } from "./signals.ts";

/** Runs one job of `type` now, in this process, recorded like a job run by `process`. */
export function runTypeNow(ctx: CommandContext, type: string, payload: unknown, signals: StopSignals, dedupeKey?: string): Promise<RunNowResult> {
  return runJobNow({
    db: ctx.db, clock: ctx.clock, random: ctx.random, log: ctx.log, config: ctx.config, env: ctx.env, loadJobType,
    owner: ctx.owner, type, payload, leaseMs: ctx.config.lease, stop: signals.stop, kill: signals.kill, dedupeKey: dedupeKey ?? null,
  });
}

/** Runs the due jobs of these types in this process (a `process --type ...` without the command). */
export function runDueJobs(
  ctx: CommandContext, types: readonly string[], signals: StopSignals,
  o: { concurrency?: number; onJobEnd?: WorkerOptions["onJobEnd"] } = {},
): Promise<WorkerSummary> {
  return runWorker({
    db: ctx.db, owner: ctx.owner, concurrency: o.concurrency ?? 1, types, maxJobs: undefined, deadline: undefined,
    wait: false, pollMs: ctx.config.poll, leaseMs: ctx.config.lease, graceMs: ctx.config.grace,
    stop: signals.stop, kill: signals.kill, clock: ctx.clock, random: ctx.random, log: ctx.log,
    config: ctx.config, env: ctx.env, loadJobType, onJobEnd: o.onJobEnd,
  });
}
