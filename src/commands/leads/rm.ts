import { actingUser, asOption } from "../shared/actor.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { removeLeads } from "../../core/leads/remove.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

/** `leads rm ID…`: removes leads with their events and analyses; the audit log keeps them. */
export async function leadsRm(g: GlobalOptions, refs: string[], o: { as?: string; json?: boolean }): Promise<number> {
  if (refs.length === 0) throw new UsageError("name the leads to remove: ids or organisationsnummer");
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const removed = await removeLeads(ctx.db, refs, actor, ctx.clock());
    if (o.json) printJson({ removed });
    else
      for (const r of removed)
        printLine(`removed lead ${r.id}: ${r.name} (${r.orgnr}) with ${r.events} event(s) and ${r.analyses} analysis(es)`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
