import { rescueLostJobs, type RescuedJob } from "../../core/queue/rescue.ts";
import type { CommandContext } from "./context.ts";
import { jobEndHook } from "./job-ends.ts";

const done = new WeakMap<CommandContext, Promise<RescuedJob[]>>();

/**
 * Returns the jobs of crashed workers to the queue, as every command that runs or queues jobs does
 * at its start (`process`, `enqueue`, and each foreground run before it decides what to run): jobs
 * that died or were cancelled of it are followed up like any other such end (jobEndHook), and each
 * is logged. Once per command: a second call returns the first one's jobs. Judged on the real
 * clock (ctx.leaseClock), and a job back in the queue is due at once, whatever --now says.
 */
export function rescueLost(ctx: CommandContext): Promise<RescuedJob[]> {
  let rescue = done.get(ctx);
  if (!rescue) {
    rescue = rescueLostJobs(ctx.db, { now: ctx.leaseClock(), ownerGone: ctx.ownerGone, onEnded: jobEndHook(ctx.config) }).then(
      (rescued) => {
        for (const r of rescued) ctx.log.warn(`job ${r.id} (${r.type}) ${r.reason}; now ${r.state}`);
        return rescued;
      },
    );
    done.set(ctx, rescue);
  }
  return rescue;
}
