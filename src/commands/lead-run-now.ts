import { loadJobType } from "../core/jobs/registry.ts";
import { runJobNow, type RunNowResult } from "../core/runtime/run-now.ts";
import type { CommandContext } from "./context.ts";
import { onStopSignals } from "./signals.ts";

/** Runs a job type now in this process (recorded like a `process` run); Ctrl-C cancels it. */
export async function runLeadJobNow(ctx: CommandContext, type: string, payload: unknown): Promise<RunNowResult> {
  const signals = onStopSignals();
  try {
    return await runJobNow({
      db: ctx.db, clock: ctx.clock, random: ctx.random, log: ctx.log, config: ctx.config, env: ctx.env, loadJobType,
      owner: ctx.owner, type, payload, leaseMs: ctx.config.lease, stop: signals.stop,
    });
  } finally {
    signals.dispose();
  }
}
