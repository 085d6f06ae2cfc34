import { listTerminals } from "../../core/leads/terminals.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function terminalsList(g: GlobalOptions, o: { json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const terminals = await listTerminals(ctx.db);
    if (o.json) printJson({ terminals });
    else if (terminals.length === 0) printLine("no terminals; add one with `leadjobs terminals add NAME`");
    else
      await printTable(
        ["id", "name", "default", "leads", "rules"],
        terminals.map((t) => [t.id, t.name, t.isDefault ? "yes" : "", t.leads, t.rules.map((r) => r.description).join("; ")]),
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
