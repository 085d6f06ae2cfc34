import { cancelJob, type CancelResult } from "../core/queue/admin.ts";
import { openContext, type GlobalOptions } from "./context.ts";
import { positiveId } from "./options.ts";
import { printJson, printLine } from "./output.ts";
import { userInfo } from "node:os";

export async function jobsCancel(g: GlobalOptions, idTexts: string[], o: { json?: boolean }): Promise<number> {
  const ids = idTexts.map((t) => positiveId(t));
  const ctx = await openContext(g);
  try {
    const results: CancelResult[] = [];
    for (const id of ids) results.push(await cancelJob(ctx.db, id, ctx.clock(), userInfo().username));
    if (o.json) printJson({ jobs: results });
    else for (const r of results) printLine(r.outcome === "cancelled" ? `job ${r.id} cancelled` : `job ${r.id} is running: cancel requested, its worker stops it at the next check`);
    return 0;
  } finally {
    await ctx.close();
  }
}
