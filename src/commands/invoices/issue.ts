import { ExitCode } from "../../core/errors.ts";
import { issueInvoice } from "../../core/invoice/manage.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function invoicesIssue(g: GlobalOptions, idText: string, o: { now?: string; json?: boolean }): Promise<number> {
  const id = positiveId(idText, "invoice id");
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const saved = await issueInvoice(ctx.db, id, ctx.clock(), { worker: "cli" });
    if (o.json) printJson(saved);
    else if (!g.quiet)
      printLine(`invoice ${saved.id}: issued as number ${saved.number}${saved.ocr ? `, OCR ${saved.ocr}` : ""}; PDF job ${saved.pdfJobId}`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
