import { actingUser, asOption } from "../shared/actor.ts";
import { ExitCode } from "../../core/errors.ts";
import { addTerminal, terminalName } from "../../core/leads/terminals.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function terminalsAdd(
  g: GlobalOptions,
  name: string,
  o: { description?: string; default?: boolean; as?: string; json?: boolean },
): Promise<number> {
  const checked = terminalName(name); // exit 2 before the database is opened
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const id = await addTerminal(ctx.db, { name, description: o.description, isDefault: Boolean(o.default), actor, now: ctx.clock() });
    if (o.json) printJson({ id, name: checked, isDefault: Boolean(o.default) });
    else printLine(`added terminal ${id} "${checked}"${o.default ? " (the default terminal)" : ""}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
