import { formatKronor } from "../../core/domain/money.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { listInvoices } from "../../core/invoice/manage.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";

export interface InvoicesListOptions {
  tenant?: string;
  state?: string;
  limit?: string;
  json?: boolean;
}

export async function invoicesList(g: GlobalOptions, o: InvoicesListOptions): Promise<number> {
  if (o.state !== undefined && o.state !== "draft" && o.state !== "issued")
    throw new UsageError(`invalid --state "${o.state}": expected draft or issued`);
  const limit = intOption(o.limit, "--limit", 1, 100_000) ?? 100;
  const ctx = await openContext(g);
  try {
    const invoices = await listInvoices(ctx.db, { tenant: o.tenant, status: o.state as "draft" | "issued" | undefined, limit });
    if (o.json) printJson({ count: invoices.length, invoices });
    else if (invoices.length === 0) printLine("no matching invoices");
    else
      await printTable(
        ["id", "ref", "tenant", "status", "number", "date", "buyer", "to pay", "pdf"],
        invoices.map((i) => [
          i.id,
          i.ref,
          i.tenant,
          i.kind === "credit" ? `${i.status} (credit)` : i.status,
          i.number,
          i.invoiceDate,
          truncate(i.buyer, 30),
          formatKronor(i.payableOre),
          i.pdfPath ? "yes" : "-",
        ]),
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
