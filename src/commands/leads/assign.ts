import { actingUser, asOption } from "../shared/actor.ts";
import { assignLeads } from "../../core/leads/leads.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function leadsAssign(
  g: GlobalOptions,
  refs: string[],
  o: { terminal?: string; as?: string; json?: boolean },
): Promise<number> {
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const results = await assignLeads(ctx.db, { refs, terminal: o.terminal, actor, now: ctx.clock() });
    if (o.json) printJson({ assigned: results.filter((r) => r.changed).length, leads: results });
    else if (results.length === 0) printLine("no unassigned leads");
    else {
      await printTable(
        ["lead", "orgnr", "terminal", "why", "changed"],
        results.map((r) => [r.id, r.orgnr, r.terminal, r.reason, r.changed ? "yes" : "no"]),
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
