import { actingUser, asOption } from "../shared/actor.ts";
import { orgnrArgument } from "../../core/companies/show.ts";
import { normaliseWebsite } from "../../core/companies/formats/csv.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { addLead } from "../../core/leads/leads.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function leadsAdd(
  g: GlobalOptions,
  orgnrText: string,
  o: { website?: string; terminal?: string; as?: string; json?: boolean },
): Promise<number> {
  const orgnr = orgnrArgument(orgnrText);
  const website = o.website === undefined ? undefined : normaliseWebsite(o.website);
  if (website === null) throw new UsageError(`invalid --website "${o.website}": an http(s) address such as https://www.example.se`);
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await addLead(ctx.db, { orgnr, website, terminal: o.terminal, actor, now: ctx.clock() });
    for (const w of r.warnings) ctx.log.warn(`${r.name}: ${w}`);
    if (o.json) printJson(r);
    else
      printLine(
        `added lead ${r.id}: ${r.name} (${r.orgnr})${r.terminal ? ` -> ${r.terminal} (${r.assignedBy})` : ", not assigned (no rule matched, no default terminal)"}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
