import { resolveAlertByHand } from "../../core/budget/views.ts";
import { ExitCode } from "../../core/errors.ts";
import { actingUser } from "../shared/actor.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson } from "../shared/output.ts";
import { printAlert } from "./render.ts";

export async function alertsResolve(
  g: GlobalOptions,
  idText: string,
  o: { reason?: string; as?: string; now?: string; json?: boolean },
): Promise<number> {
  const id = positiveId(idText, "alert id");
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const actor = `user:${(await actingUser(ctx.db, o.as)).name}`;
    const alert = await resolveAlertByHand(ctx.db, id, { now: ctx.clock(), actor, reason: o.reason?.trim() || "resolved by hand" });
    if (o.json) printJson(alert);
    else if (!g.quiet) printAlert(alert);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
