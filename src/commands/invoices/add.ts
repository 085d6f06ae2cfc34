import { parseDecimal } from "../../core/domain/money.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import type { NewInvoiceLine } from "../../core/invoice/issue.ts";
import { addInvoice, resolveInvoiceRefs } from "../../core/invoice/manage.ts";
import { type PrintedText, unprintable } from "../../core/invoice/pdf-font.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface InvoicesAddOptions {
  tenant: string;
  client: string;
  project?: string;
  id?: string;
  date: string;
  deliveryDate?: string;
  dueDate?: string;
  line?: string[];
  reverseCharge?: boolean;
  yourReference?: string;
  ourReference?: string;
  notes?: string;
  ocr?: string;
  issue?: boolean;
  now?: string;
  json?: boolean;
}

export async function invoicesAdd(g: GlobalOptions, o: InvoicesAddOptions): Promise<number> {
  const lines = (o.line ?? []).map(parseLine);
  if (lines.length === 0) throw new UsageError("an invoice needs at least one --line");
  // Listings and export name a row made without an id "#<row id>": an id of that form would let two invoices share a name.
  if (o.id?.startsWith("#"))
    throw new UsageError(`invalid --id "${o.id}": an id beginning with # is a row id (#12 names row 12); choose another`);
  if (o.ocr !== undefined && !/^\d{2,25}$/.test(o.ocr)) throw new UsageError(`invalid --ocr "${o.ocr}": expected 2 to 25 digits`);
  const unprintableText = unprintable([
    ...lines.flatMap((l, i): PrintedText[] => [
      [`--line ${i + 1} description`, l.description],
      [`--line ${i + 1} unit`, l.unit],
    ]),
    ["--your-reference", o.yourReference],
    ["--our-reference", o.ourReference],
    ["--notes", o.notes],
  ]);
  if (unprintableText) throw new UsageError(unprintableText);
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const refs = await resolveInvoiceRefs(ctx.db, { tenant: o.tenant, client: o.client, project: o.project });
    const saved = await addInvoice(
      ctx.db,
      {
        ...refs,
        externalId: o.id ?? null,
        invoiceDate: o.date,
        deliveryDate: o.deliveryDate ?? null,
        dueDate: o.dueDate ?? null,
        reverseCharge: Boolean(o.reverseCharge),
        yourReference: o.yourReference ?? null,
        ourReference: o.ourReference ?? null,
        notes: o.notes ?? null,
        ocr: o.ocr ?? null,
        lines,
        issue: Boolean(o.issue),
        worker: "cli",
      },
      ctx.clock(),
    );
    if (o.json) printJson(saved);
    else if (!g.quiet)
      printLine(
        saved.number === null
          ? `invoice ${saved.id}: draft`
          : `invoice ${saved.id}: issued as number ${saved.number}${saved.ocr ? `, OCR ${saved.ocr}` : ""}; PDF job ${saved.pdfJobId}`,
      );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** "description;quantity;unit;unit price in kr;VAT category" */
function parseLine(text: string, i: number): NewInvoiceLine {
  const [description = "", quantity = "", unit = "", price = "", vat = "standard"] = text.split(";").map((s) => s.trim());
  const where = `--line ${i + 1} ("${text}")`;
  if (description === "") throw new UsageError(`${where}: no description`);
  const quantityMilli = parseDecimal(quantity, 3);
  if (quantityMilli === undefined) throw new UsageError(`${where}: quantity "${quantity}" is not a number (up to 3 decimals)`);
  if (unit === "") throw new UsageError(`${where}: no unit`);
  if (price === "") throw new UsageError(`${where}: no unit price`);
  const unitPriceOre = parseDecimal(price, 2);
  if (unitPriceOre === undefined) throw new UsageError(`${where}: unit price "${price}" is not an amount in kronor (up to 2 decimals)`);
  return { description, quantityMilli, unit, unitPriceOre, vatCategory: vat || "standard" };
}
