import { formatKronor } from "../../core/domain/money.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { listInvoices } from "../../core/invoice/manage.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";

export interface InvoicesListOptions extends PagingFlags {
  tenant?: string;
  state?: string;
  json?: boolean;
}

export async function invoicesList(g: GlobalOptions, o: InvoicesListOptions): Promise<number> {
  if (o.state !== undefined && o.state !== "draft" && o.state !== "issued")
    throw new UsageError(`invalid --state "${o.state}": expected draft or issued`);
  const page = pageOption(o, 100);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: invoices, total } = await listInvoices(
      ctx.db,
      { tenant: o.tenant, status: o.state as "draft" | "issued" | undefined },
      page,
    );
    if (o.json) printJson({ ...pageJson(page, total, invoices.length), invoices });
    else if (invoices.length === 0) printLine(pastTheEnd(page, total, "invoices") ?? "no matching invoices");
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
          i.payableOre === null ? "invalid amounts" : formatKronor(i.payableOre),
          i.pdfPath ? "yes" : "-",
        ]),
      );
    if (!o.json) printMore(page, total, invoices.length);
    // Listed, not fatal: one invoice stored with amounts that cannot be computed must not hide the others.
    for (const i of invoices)
      if (i.problem !== null) process.stderr.write(`leadjobs: invoice ${i.id} (${i.ref}): ${i.problem}; its amounts are not shown\n`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
