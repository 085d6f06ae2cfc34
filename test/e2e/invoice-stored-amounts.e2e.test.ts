import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "backoffice");
const NOW = "2026-11-22T08:00:00.000Z";
const TOO_LARGE =
  "line 1: its amount (100\u00a0000\u00a0000\u00a0000 × 1\u00a0000\u00a0000\u00a0000,00\u00a0kr) is too large to compute exactly (over 90\u00a0071\u00a0992\u00a0547\u00a0409,91\u00a0kr)";

/** acme's back office with invoice 1 (issued, F-1), 2 (issued, F-2) and 3 (a draft, F-3). */
async function threeInvoices(): Promise<{ db: string; dir: string }> {
  const dir = tempDir();
  const db = join(dir, "bo.db");
  await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
  for (const [id, issue] of [
    ["F-1", true],
    ["F-2", true],
    ["F-3", false],
  ] as const)
    await runJson(
      [
        "invoices",
        "add",
        "--tenant",
        "acme",
        "--client",
        "K-100",
        "--id",
        id,
        "--date",
        "2026-11-20",
        "--line",
        "Arbete;1;tim;500",
        "--now",
        NOW,
        ...(issue ? ["--issue"] : []),
      ],
      db,
    );
  return { db, dir };
}

/** What an older version (before amounts were bounded at input) or a hand edit left in the database. */
const storeHugeLine = (db: string, invoiceId: number) =>
  writeSync(db, `update invoice_line set quantity_milli = 100000000000000, unit_price_ore = 100000000000 where invoice_id = ${invoiceId}`);

describe("invoices stored with amounts that cannot be computed exactly", () => {
  it("list shows every invoice and marks the bad one; show refuses only it (exit 65); its PDF job dies at once, naming it", async () => {
    const { db, dir } = await threeInvoices();
    storeHugeLine(db, 2);

    const list = await runCli(["invoices", "list", "--json"], db);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).invoices).toEqual([
      expect.objectContaining({ id: 3, payableOre: 62_500, problem: null }),
      expect.objectContaining({ id: 2, ref: "F-2", totalOre: null, payableOre: null, problem: TOO_LARGE }),
      expect.objectContaining({ id: 1, payableOre: 62_500, problem: null }),
    ]);
    expect(list.stderr).toBe(`leadjobs: invoice 2 (F-2): ${TOO_LARGE}; its amounts are not shown\n`);
    const table = await runCli(["invoices", "list"], db);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^2 +F-2 .* invalid amounts /m);
    expect(table.stdout).toMatch(/^1 +F-1 .* 625,00\u00a0kr /m);

    expect(await runJson(["invoices", "show", "1"], db)).toMatchObject({ payableOre: 62_500 });
    const show = await runCli(["invoices", "show", "2"], db);
    expect(show).toMatchObject({ code: 65, stdout: "" });
    expect(show.stderr).toBe(
      `leadjobs: invoice 2 (F-2) cannot be shown: ${TOO_LARGE} (correct its lines by importing the invoice again with \`backoffice import\`)\n`,
    );

    const pdf = await runCli(["invoice-pdf", "--id", "2", "--out", join(dir, "files"), "--json"], db);
    expect(pdf.code).toBe(1);
    expect(JSON.parse(pdf.stdout)).toMatchObject({
      failed: 1,
      retrying: 0,
      invoices: [{ invoiceId: 2, outcome: "dead", error: `invoice 2 cannot be issued as a PDF: ${TOO_LARGE}` }],
    });

    // The way out the message names: importing the invoice again with its lines corrected.
    const fix = join(dir, "fix.ndjson");
    const line = { description: "Arbete", quantityMilli: 1000, unit: "tim", unitPriceOre: 50_000, vatCategory: "standard" };
    const record = { kind: "invoice", tenant: "acme", id: "F-2", client: "K-100", invoiceDate: "2026-11-20", number: 2, lines: [line] };
    writeFileSync(fix, `${JSON.stringify(record)}\n`);
    await runJson(["backoffice", "import", fix], db);
    expect(await runJson(["invoices", "show", "2"], db)).toMatchObject({ number: 2, payableOre: 62_500 });
  });

  it("issuing a draft stored with such amounts is refused (exit 65) before anything is written: no number used", async () => {
    const { db } = await threeInvoices();
    storeHugeLine(db, 3);
    const issue = await runCli(["invoices", "issue", "3", "--now", NOW], db);
    expect(issue).toMatchObject({ code: 65, stdout: "" });
    expect(issue.stderr).toMatch(/^leadjobs: invoice 3 \(F-3\) cannot be issued: line 1: its amount .* is too large to compute exactly/);
    expect(query(db, "select status, number from invoice where id = 3")).toEqual([{ status: "draft", number: null }]);
    expect(query(db, "select next_invoice_number as n from tenant")).toEqual([{ n: 3 }]);
    expect(query(db, "select count(*) as n from job where type = 'invoice.pdf'")).toEqual([{ n: 2 }]);
  });

  it("a line whose VAT category has no rate is not taxed at 0 % in list or show: it is named like any amount that cannot be computed", async () => {
    const { db } = await threeInvoices();
    writeSync(db, "update invoice_line set vat_category = 'nope' where invoice_id = 2");
    const problem = 'line 1: unknown VAT category "nope"';
    const list = await runCli(["invoices", "list", "--json"], db);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).invoices).toContainEqual(expect.objectContaining({ id: 2, totalOre: null, payableOre: null, problem }));
    expect(list.stderr).toBe(`leadjobs: invoice 2 (F-2): ${problem}; its amounts are not shown\n`);
    const show = await runCli(["invoices", "show", "2"], db);
    expect(show).toMatchObject({ code: 65, stdout: "" });
    expect(show.stderr).toContain(`invoice 2 (F-2) cannot be shown: ${problem}`);
  });
});
