import { listTerminals } from "../../core/leads/terminals.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { pageOf } from "../../core/util/paging.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function terminalsList(g: GlobalOptions, o: PagingFlags & { json?: boolean }): Promise<number> {
  const page = pageOption(o, null);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: terminals, total } = pageOf(await listTerminals(ctx.db), page);
    if (o.json) printJson({ ...pageJson(page, total, terminals.length), terminals });
    else if (terminals.length === 0)
      printLine(pastTheEnd(page, total, "terminals") ?? "no terminals; add one with `leadjobs terminals add NAME`");
    else
      await printTable(
        ["id", "name", "default", "leads", "rules"],
        terminals.map((t) => [t.id, t.name, t.isDefault ? "yes" : "", t.leads, t.rules.map((r) => r.description).join("; ")]),
      );
    if (!o.json) printMore(page, total, terminals.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
