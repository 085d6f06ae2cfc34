import { formatKronor, formatQuantity } from "../../core/domain/money.ts";
import { ExitCode } from "../../core/errors.ts";
import { showInvoice } from "../../core/invoice/manage.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { positiveId } from "../shared/options.ts";
import { printFields, printJson, printLine, printTable } from "../shared/output.ts";

export async function invoicesShow(g: GlobalOptions, idText: string, o: { json?: boolean }): Promise<number> {
  const id = positiveId(idText, "invoice id");
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const inv = await showInvoice(ctx.db, id);
    if (o.json) {
      printJson(inv);
      return ExitCode.Ok;
    }
    printLine(`invoice ${inv.id} (${inv.ref}) of ${inv.tenant}`);
    printFields([
      ["status", inv.kind === "credit" ? `${inv.status} credit note` : inv.status],
      ["number", inv.number === null ? "-" : String(inv.number)],
      ["OCR", inv.ocr ?? "-"],
      ["date", inv.invoiceDate ?? "-"],
      ["due", inv.dueDate ?? "-"],
      ["buyer", inv.buyer ?? "-"],
      ["net", formatKronor(inv.netOre)],
      ["VAT", formatKronor(inv.vatOre)],
      ["to pay", formatKronor(inv.payableOre)],
      [
        "PDF",
        inv.pdfPath
          ? `${inv.pdfPath}${inv.pdfPending ? " (out of date: re-rendered by the next `process`)" : ""}`
          : inv.status === "issued"
            ? "pending"
            : "-",
      ],
    ]);
    await printTable(
      ["#", "description", "quantity", "unit", "price", "VAT", "amount"],
      inv.lines.map((l) => [
        l.position,
        l.description,
        formatQuantity(l.quantityMilli),
        l.unit,
        formatKronor(l.unitPriceOre),
        l.vatCategory,
        formatKronor(l.amountOre),
      ]),
    );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
