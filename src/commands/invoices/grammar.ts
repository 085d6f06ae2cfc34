import type { Command } from "commander";
import { globals, type SetExit } from "../shared/grammar.ts";
import { pagingOptions } from "../shared/paging.ts";

/** invoices: add, list, show and issue invoices. */
export function registerInvoices(program: Command, setExit: SetExit): void {
  const invoices = program
    .command("invoices")
    .description("invoices: add, list, show, issue (an issued invoice's PDF is rendered by `process` or `invoice-pdf`)");
  invoices
    .command("add")
    .description(
      'add an invoice (a draft, or issued with --issue); its lines as --line "description;quantity;unit;unit price in kr;VAT category"',
    )
    .requiredOption("--tenant <slug>", "the seller")
    .requiredOption("--client <id>", "the buyer: the client's id (as imported) or #row-id")
    .option("--project <id>", "the project's id (as imported) or #row-id")
    .option("--id <id>", "your own id for the invoice (then `backoffice import` can change it)")
    .requiredOption("--date <date>", "invoice date YYYY-MM-DD")
    .option("--delivery-date <date>", "delivery date YYYY-MM-DD (sets the VAT rate's date)")
    .option("--due-date <date>", "due date (default: the invoice date plus the tenant's payment terms)")
    .option(
      "--line <line>",
      'description;quantity;unit;unit price (kr, excl. VAT);VAT category (default standard), e.g. "Takarbete;7,5;tim;650;standard" (repeatable)',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .option("--reverse-charge", "omvänd betalningsskyldighet (the buyer accounts for the VAT)")
    .option("--your-reference <text>", "the buyer's reference")
    .option("--our-reference <text>", "the seller's reference")
    .option("--notes <text>", "printed on the invoice")
    .option("--ocr <digits>", "your own OCR reference (its check digit is verified; default: made from the number on issue)")
    .option("--issue", "issue it now: next number of the tenant's series, OCR, PDF job")
    .option("--now <iso>", "act as if it were then")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { invoicesAdd } = await import("./add.ts");
      setExit(await invoicesAdd(globals(cmd), opts));
    });
  invoices
    .command("issue")
    .description("issue a draft: the next number of the tenant's gap-free series, its OCR reference, and its PDF job")
    .argument("<id>", "invoice id (as `invoices list` shows)")
    .option("--now <iso>", "act as if it were then")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { invoicesIssue } = await import("./issue.ts");
      setExit(await invoicesIssue(globals(cmd), id, opts));
    });
  pagingOptions(invoices.command("list"), "invoices", 100)
    .description("invoices, newest first, with totals and their PDF")
    .option("--tenant <slug>", "only this tenant's")
    .option("--state <state>", "draft or issued")
    .option("--json", "print JSON")
    .action(async (opts, cmd: Command) => {
      const { invoicesList } = await import("./list.ts");
      setExit(await invoicesList(globals(cmd), opts));
    });
  invoices
    .command("show")
    .description("one invoice: buyer, lines, amounts, OCR, PDF")
    .argument("<id>", "invoice id")
    .option("--json", "print JSON")
    .action(async (id: string, opts, cmd: Command) => {
      const { invoicesShow } = await import("./show.ts");
      setExit(await invoicesShow(globals(cmd), id, opts));
    });
}
