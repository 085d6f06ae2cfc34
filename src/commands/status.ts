import { collectStatus } from "../core/dashboard/status.ts";
import { openContext, type GlobalOptions } from "./shared/context.ts";
import { printStatus, type StatusOptions, statusThresholds } from "./status-print.ts";

export type { StatusOptions } from "./status-print.ts";

export async function statusCommand(g: GlobalOptions, o: StatusOptions): Promise<number> {
  const thresholds = statusThresholds(o);
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const doc = await collectStatus(ctx.db, {
      dbPath: ctx.store.path,
      now,
      leaseNow: ctx.leaseClock(),
      overdueAfterMs: ctx.config.overdueAfter,
      thresholds,
      ownerGone: ctx.ownerGone,
    });
    return await printStatus(doc, now, o);
  } finally {
    await ctx.close();
  }
}
