import { getAlert } from "../../core/budget/views.ts";
import { ExitCode } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson } from "../shared/output.ts";
import { printAlert } from "./render.ts";

export async function alertsShow(g: GlobalOptions, idText: string, o: { json?: boolean }): Promise<number> {
  const id = positiveId(idText, "alert id");
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const alert = await getAlert(ctx.db, id);
    if (o.json) printJson(alert);
    else printAlert(alert);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
