import { appendFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { pdfText } from "../helpers/pdf.ts";
import { query, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";
import { requireTools } from "../helpers/system.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "backoffice");
const NOW = "2026-11-22T08:00:00.000Z";

async function imported(): Promise<{ db: string; env: { env: Record<string, string> } }> {
  const dir = tempDir();
  const db = join(dir, "bo.db");
  const env = { env: { LEADJOBS_STORAGE_ROOT: join(dir, "files") } };
  await runJson(["backoffice", "import", join(FIXTURES, "acme.ndjson")], db);
  return { db, env };
}

/** Imports these records (NDJSON lines) into `db`; exit 0 expected. */
async function importLines(db: string, records: object[]): Promise<void> {
  const file = join(tempDir(), "records.ndjson");
  writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
  await runJson(["backoffice", "import", file], db);
}

const food = (quantityMilli: number, description = "Smörgåstårta") => ({
  description,
  quantityMilli,
  unitPriceOre: 10_000,
  unit: "st",
  vatCategory: "food",
});

const add = (extra: string[]) => [
  "invoices",
  "add",
  "--tenant",
  "acme",
  "--client",
  "K-100",
  "--date",
  "2026-11-20",
  "--now",
  NOW,
  ...extra,
];

describe("leadjobs invoices", () => {
  it("add a draft, issue it (next number, OCR with the length digit), and `process` renders its PDF", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, env } = await imported();
    const draft = await runJson(
      add(["--id", "F-1", "--line", "Takarbete, etapp 1;7,5;tim;650", "--line", "Takpapp;10;rulle;1200,50;standard"]),
      db,
    );
    expect(draft).toMatchObject({ id: 1, number: null, ocr: null, status: "draft", pdfJobId: null });
    expect((await runJson(["invoices", "list", "--state", "draft"], db)).invoices).toMatchObject([
      { id: 1, ref: "F-1", payableOre: 2_110_000 },
    ]);
    const issued = await runJson(["invoices", "issue", "1", "--now", NOW], db);
    expect(issued).toMatchObject({ id: 1, number: 1, ocr: "133", status: "issued" }); // 1, length digit 3, Luhn 3
    const second = await runJson(add(["--line", "Besiktning;1;st;2000", "--issue"]), db);
    expect(second).toMatchObject({ number: 2, ocr: expect.stringMatching(/^23\d$/), status: "issued" });
    expect((await runCli(["invoices", "issue", "1"], db)).stderr).toMatch(/already issued as number 1/);

    const run = await runJson(["process"], db, env);
    expect(run).toMatchObject({ completed: 2, died: 0 });
    const shown = await runJson(["invoices", "show", "1"], db);
    expect(shown).toMatchObject({ number: 1, ocr: "133", pdfPending: false, netOre: 1_688_000, vatOre: 422_000 });
    const text = pdfText(shown.pdfPath);
    expect(text).toContain("Takarbete, etapp 1");
    expect(text).toContain("133");
    expect((await runJson(["process"], db, env)).claimed).toBe(0); // nothing queued twice
  });

  it("refuses an OCR with a wrong check digit and a line with no unit price: exit 2, nothing written", async () => {
    const { db } = await imported();
    const ocr = await runCli(add(["--line", "Arbete;1;tim;500", "--ocr", "12345"]), db);
    expect(ocr.code).toBe(2);
    expect(ocr.stderr).toBe("leadjobs: OCR reference 12345 has a wrong check digit or length digit\n");
    const price = await runCli(add(["--line", "Arbete;1;tim;500", "--line", "Spik;2;kg"]), db);
    expect(price.code).toBe(2);
    expect(price.stderr).toBe('leadjobs: --line 2 ("Spik;2;kg"): no unit price\n');
    expect((await runJson(["invoices", "list"], db)).count).toBe(0);
    // a correct one of the operator's own is kept on issue (12345 + length digit 7 + Luhn)
    const own = await runJson(add(["--line", "Arbete;1;tim;500", "--ocr", "1234574", "--issue"]), db);
    expect(own).toMatchObject({ number: 1, ocr: "1234574" });
  });

  it("invoice-pdf --pending renders again an invoice whose file is gone or no longer matches its sha256", async () => {
    const { db, env } = await imported();
    await runJson(add(["--line", "Arbete;1;tim;500", "--issue"]), db);
    const first = await runJson(["invoice-pdf", "--pending"], db, env);
    expect(first).toMatchObject({ rendered: 1 });
    const path = first.invoices[0].path as string;
    expect((await runJson(["invoice-pdf", "--pending"], db, env)).rendered).toBe(0);
    appendFileSync(path, "tampered");
    expect(await runJson(["invoice-pdf", "--pending"], db, env)).toMatchObject({ rendered: 1, invoices: [{ invoiceId: 1, path }] });
    rmSync(path);
    expect((await runJson(["invoice-pdf", "--pending"], db, env)).rendered).toBe(1);
    expect(existsSync(path)).toBe(true);
  });

  it("a credit note shows one total everywhere: list, show and the PDF credit at the original's VAT date", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, env } = await imported();
    // Food is 12 % for a supply of March 2026 and 6 % from April: the credit note, dated May, credits at 12 %.
    const invoice = { kind: "invoice", tenant: "acme", client: "K-100" };
    await importLines(db, [
      { ...invoice, id: "O-1", invoiceDate: "2026-04-05", deliveryDate: "2026-03-31", number: 1, lines: [food(1000)] },
      { ...invoice, id: "C-1", invoiceDate: "2026-05-01", credits: "O-1", number: 2, lines: [food(-1000, "Kredit")] },
    ]);
    const listed = (await runJson(["invoices", "list"], db)).invoices.find((i: { ref: string }) => i.ref === "C-1");
    const shown = await runJson(["invoices", "show", "2"], db);
    expect(shown).toMatchObject({ netOre: -10_000, vatOre: -1_200, totalOre: -11_200, payableOre: -11_200 });
    expect(listed).toMatchObject({ totalOre: -11_200, payableOre: -11_200 });
    const pdf = await runJson(["invoice-pdf", "--id", "2"], db, env);
    expect(pdfText(pdf.invoices[0].path)).toMatch(/Att kreditera\s+-112,00 kr/);
  });

  it("refuses amounts beyond what an invoice may total (10 000 000 000 kr excl. VAT): exit 2, nothing written, no number used", async () => {
    const { db } = await imported();
    const huge = await runCli(add(["--line", "Stort;100000000;st;1000000000", "--issue"]), db);
    expect(huge).toMatchObject({ code: 2, stdout: "" });
    expect(huge.stderr).toBe("leadjobs: line 1: takes the invoice over 10 000 000 000 kr excl. VAT, the most an invoice may total\n");
    // Lines within the limit one by one, over it together (either sign counts).
    const together = await runCli(add(["--line", "A;1;st;6000000000", "--line", "B;-1;st;6000000000", "--issue"]), db);
    expect(together.code).toBe(2);
    expect(together.stderr).toMatch(/^leadjobs: line 2: takes the invoice over 10 000 000 000 kr/);
    const file = join(tempDir(), "huge.ndjson");
    const line = {
      description: "Stort",
      quantityMilli: 100_000_000_000,
      unitPriceOre: 100_000_000_000,
      unit: "st",
      vatCategory: "standard",
    };
    writeFileSync(
      file,
      `${JSON.stringify({ kind: "invoice", tenant: "acme", id: "F-9", client: "K-100", invoiceDate: "2026-11-20", number: 1, lines: [line] })}\n`,
    );
    const imported_ = await runCli(["backoffice", "import", file], db);
    expect(imported_.code).toBe(2);
    expect(imported_.stderr).toMatch(/line 1: invoice "F-9": lines\[0\]: takes the invoice over 10 000 000 000 kr excl. VAT/);
    expect((await runJson(["invoices", "list"], db)).invoices).toEqual([]);
    // The largest invoice allowed is listed, shown and issued as number 1: nothing was used up.
    const largest = await runJson(add(["--line", "Max;1;st;10000000000", "--issue"]), db);
    expect(largest).toMatchObject({ number: 1 });
    expect((await runJson(["invoices", "list"], db)).invoices).toMatchObject([
      { totalOre: 1_250_000_000_000, payableOre: 1_250_000_000_000 },
    ]);
    expect(await runJson(["invoices", "show", "1"], db)).toMatchObject({ netOre: 1_000_000_000_000, vatOre: 250_000_000_000 });
  });

  it("issuing takes the buyer from the client as it is then, and refuses a buyer that lacks what a full invoice needs", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, env } = await imported();
    await importLines(db, [{ kind: "client", tenant: "acme", id: "K-1", name: "Kund Ett" }]);
    const work = ["--tenant", "acme", "--client", "K-1", "--date", "2026-11-20", "--line", "Arbete;10;tim;650"]; // 8 125 kr incl. VAT
    const refusedAdd = await runCli(["invoices", "add", ...work, "--issue"], db);
    expect(refusedAdd).toMatchObject({ code: 2, stdout: "" });
    expect(refusedAdd.stderr).toBe(
      'leadjobs: the invoice cannot be issued: missing buyer address (required on a full invoice); complete client "K-1" or add a draft\n',
    );
    expect((await runJson(["invoices", "list"], db)).invoices).toEqual([]);
    const { id } = await runJson(["invoices", "add", ...work], db); // PostgreSQL does not give back the refused row's id
    const refusedIssue = await runCli(["invoices", "issue", String(id)], db);
    expect(refusedIssue).toMatchObject({ code: 2, stdout: "" });
    expect(refusedIssue.stderr).toBe(
      `leadjobs: invoice ${id} cannot be issued: missing buyer address (required on a full invoice); complete client "K-1" and issue it again\n`,
    );
    expect(await runJson(["invoices", "show", String(id)], db)).toMatchObject({ status: "draft", number: null, ocr: null });

    await importLines(db, [
      { kind: "client", tenant: "acme", id: "K-1", name: "Kund Ett AB", street: "Gatan 1", postcode: "111 11", town: "Stockholm" },
    ]);
    expect(await runJson(["invoices", "issue", String(id)], db)).toMatchObject({ number: 1, ocr: "133" }); // the number was not used up
    expect(await runJson(["invoices", "show", String(id)], db)).toMatchObject({ buyer: "Kund Ett AB" });
    const pdf = await runJson(["invoice-pdf", "--id", String(id)], db, env);
    const text = pdfText(pdf.invoices[0].path);
    expect(text).toContain("Kund Ett AB");
    expect(text).toContain("Gatan 1");
  });

  it("an OCR reference belongs to one invoice of a tenant: a second one is refused, also when both come at once", async () => {
    const { db } = await imported();
    expect(await runJson(add(["--line", "Arbete;1;tim;500", "--ocr", "1234574", "--issue"]), db)).toMatchObject({ number: 1 });
    const again = await runCli(add(["--line", "Arbete;1;tim;500", "--ocr", "1234574", "--issue"]), db);
    expect(again).toMatchObject({ code: 2, stdout: "" });
    expect(again.stderr).toBe('leadjobs: OCR reference 1234574 is already used by invoice "#1" of tenant acme\n');
    const invoice = { kind: "invoice", tenant: "acme", client: "K-100", invoiceDate: "2026-11-20", lines: [food(1000)] };
    const file = join(tempDir(), "ocr.ndjson");
    writeFileSync(file, `${JSON.stringify({ ...invoice, id: "F-2", number: 2, ocr: "1234574" })}\n`);
    const imported_ = await runCli(["backoffice", "import", file], db);
    expect(imported_.code).toBe(2);
    expect(imported_.stderr).toMatch(/line 1: invoice "F-2": OCR reference 1234574 is already used by invoice "#1"\n/);
    // A draft holding 232, the reference number 2 would get: issuing as number 2 is refused, and the number stays free.
    expect(await runJson(add(["--line", "Arbete;1;tim;500", "--ocr", "232"]), db)).toMatchObject({ status: "draft" });
    const generated = await runCli(add(["--line", "Arbete;1;tim;500", "--issue"]), db);
    expect(generated.code).toBe(2);
    expect(generated.stderr).toMatch(/^leadjobs: OCR reference 232 is already used by invoice "#\d+" of tenant acme\n$/);
    expect((await runJson(["invoices", "list"], db)).count).toBe(2);

    const both = await Promise.all([0, 1].map(() => runCli(add(["--line", "Arbete;1;tim;500", "--ocr", "1234673", "--issue"]), db)));
    expect(both.map((r) => r.code).sort()).toEqual([0, 2]);
    expect(both.find((r) => r.code === 2)?.stderr).toMatch(
      /^leadjobs: OCR reference 1234673 is already used by invoice "#\d+" of tenant acme\n$/,
    );
    expect((await runJson(["invoices", "list"], db)).invoices.map((i: { ocr: string }) => i.ocr).sort()).toEqual([
      "1234574",
      "1234673",
      "232",
    ]);
  });

  it("refuses an --id beginning with # (how rows without an id are named): exit 2, nothing written", async () => {
    const { db } = await imported();
    for (const id of ["#1", "#2", "#x"]) {
      const r = await runCli(add(["--id", id, "--line", "Arbete;1;tim;500"]), db);
      expect(r).toMatchObject({ code: 2, stdout: "" });
      expect(r.stderr).toBe(`leadjobs: invalid --id "${id}": an id beginning with # is a row id (#12 names row 12); choose another\n`);
    }
    expect((await runJson(["invoices", "list"], db)).count).toBe(0);
    // Row 1 made without an id is "#1", the only invoice of that name.
    expect(await runJson(add(["--line", "Arbete;1;tim;500"]), db)).toMatchObject({ id: 1 });
    expect((await runJson(["invoices", "list"], db)).invoices.map((i: { ref: string }) => i.ref)).toEqual(["#1"]);
  });

  it("refuses a due date before the invoice date (the same day is fine): exit 2, nothing written", async () => {
    const { db } = await imported();
    const early = await runCli(add(["--line", "Arbete;1;tim;500", "--due-date", "2026-11-19", "--issue"]), db);
    expect(early).toMatchObject({ code: 2, stdout: "" });
    expect(early.stderr).toBe("leadjobs: due date 2026-11-19 is before the invoice date 2026-11-20\n");
    const file = join(tempDir(), "due.ndjson");
    const invoice = { kind: "invoice", tenant: "acme", client: "K-100", invoiceDate: "2026-11-20", lines: [food(1000)] };
    writeFileSync(file, `${JSON.stringify({ ...invoice, id: "F-1", dueDate: "2026-10-20" })}\n`);
    const imported_ = await runCli(["backoffice", "import", file], db);
    expect(imported_.code).toBe(2);
    expect(imported_.stderr).toMatch(/line 1: invoice "F-1": dueDate: due date 2026-10-20 is before the invoice date 2026-11-20\n/);
    expect((await runJson(["invoices", "list"], db)).count).toBe(0);
    expect(await runJson(add(["--line", "Arbete;1;tim;500", "--due-date", "2026-11-20"]), db)).toMatchObject({ status: "draft" });
  });

  it("issuing a draft is refused when a line has no VAT rate on its date any more (rates are data): exit 2, no number used", async () => {
    const { db } = await imported();
    const draft = await runJson(add(["--line", "Smörgåstårta;1;st;100;food"]), db);
    // The temporary food rate of 2026-04-01 .. 2027-12-31 taken out of the table (by hand, or an older version's data).
    writeSync(db, "delete from vat_rate where category = 'food' and valid_from = '2026-04-01'");
    const issue = await runCli(["invoices", "issue", String(draft.id), "--now", NOW], db);
    expect(issue).toMatchObject({ code: 2, stdout: "" });
    expect(issue.stderr).toBe(
      `leadjobs: invoice ${draft.id} cannot be issued: line 1: VAT rate unknown for category "food" on 2026-11-20\n`,
    );
    // Nor is it shown priced at 0 % for that line: show names it like any invoice that cannot be priced.
    const show = await runCli(["invoices", "show", String(draft.id)], db);
    expect(show).toMatchObject({ code: 65, stdout: "" });
    expect(show.stderr).toContain(`cannot be shown: line 1: VAT rate unknown for category "food" on 2026-11-20`);
    expect(query(db, `select status, number from invoice where id = ${Number(draft.id)}`)).toEqual([{ status: "draft", number: null }]);
    expect(query(db, "select next_invoice_number as n from tenant")).toEqual([{ n: 1 }]);
    expect(query(db, "select count(*) as n from job")).toEqual([{ n: 0 }]);
  });

  it("re-importing an invoice with new dates is refused when a credit note of it would have no VAT rate at them", async () => {
    const { db, env } = await imported();
    const invoice = { kind: "invoice", tenant: "acme", client: "K-100" };
    const work = { description: "Arbete", quantityMilli: 1000, unit: "tim", unitPriceOre: 50_000, vatCategory: "standard" };
    const original = { ...invoice, id: "O-1", invoiceDate: "2026-03-05", number: 1, lines: [work] };
    await importLines(db, [
      original,
      { ...invoice, id: "C-1", invoiceDate: "2026-05-01", credits: "O-1", number: 2, lines: [food(-1000)] },
    ]);
    expect(await runJson(["process"], db, env)).toMatchObject({ completed: 2 }); // both PDFs rendered
    // Food has a rate from 1996: the credit note, credited at its original's dates, would have none for 1995.
    const file = join(tempDir(), "redated.ndjson");
    writeFileSync(file, `${JSON.stringify({ ...original, invoiceDate: "1995-05-01" })}\n`);
    const redated = await runCli(["backoffice", "import", file], db);
    expect(redated).toMatchObject({ code: 2, stdout: "" });
    expect(redated.stderr).toBe(
      `leadjobs: ${file} line 1: invoice "O-1": credit note "C-1" of this invoice, credited at its dates, would have no VAT rate for its lines[0]: VAT rate unknown for category "food" on 1995-05-01\n` +
        `leadjobs: ${file}: 1 record(s) refused, nothing imported\n`,
    );
    expect(await runJson(["invoices", "show", "1"], db)).toMatchObject({ invoiceDate: "2026-03-05" });
    expect(await runJson(["invoices", "show", "2"], db)).toMatchObject({ vatOre: -1_200 }); // still 12 %, March's food rate
    // New dates at which the credit note has a rate are taken (food in May 2026 is 6 %), and the
    // credit note's PDF, which shows its original's date and those rates, is rendered again too.
    writeFileSync(file, `${JSON.stringify({ ...original, invoiceDate: "2026-05-04" })}\n`);
    expect(await runJson(["backoffice", "import", file], db)).toMatchObject({ kinds: { invoice: { updated: 1 } }, pdfJobs: 2 });
    expect(await runJson(["invoices", "show", "2"], db)).toMatchObject({ vatOre: -600 });
    expect(query(db, "select payload from job where type = 'invoice.pdf' and state = 'pending' order by payload")).toEqual([
      { payload: '{"invoiceId":1}' },
      { payload: '{"invoiceId":2}' },
    ]);
  });
});
