import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onPostgres } from "../helpers/backend.ts";
import { runCli, runJson, scheduleAddArgs } from "../helpers/cli.ts";
import { addClient, addInvoice, addTenant, line, withDb } from "../helpers/backoffice.ts";
import { pdfFonts, pdfPages, pdfText, pdfWords, qpdfCheck } from "../helpers/pdf.ts";
import { createDb, tempDir } from "../helpers/store.ts";
import { requireTools } from "../helpers/system.ts";

const NOW = "2026-11-22T08:00:00.000Z";

async function setup(): Promise<{ db: string; out: string }> {
  const dir = tempDir();
  const db = join(dir, "bo.db");
  await createDb(db);
  return { db, out: join(dir, "files") };
}

describe("leadjobs invoice-pdf", () => {
  it("renders a complete Swedish invoice, atomically, and records path, sha256 and an audit event", async (ctx) => {
    requireTools(["pdftotext", "pdffonts", "qpdf"])(ctx);
    const { db, out } = await setup();
    const id = await withDb(db, async (d) => {
      const t = await addTenant(d);
      const c = await addClient(d, t.id, { name: "Byggnads AB Västerås" });
      const inv = await addInvoice(d, {
        tenantId: t.id,
        clientId: c,
        invoiceDate: "2026-11-20",
        deliveryDate: "2026-11-18",
        yourReference: "Åsa Öhman",
        ourReference: "Örjan",
        lines: [
          line("Målning av trapphus, våning 1–3", 7500, 845_50, "standard", "tim"),
          line("Smörgåstårta", 2000, 849_00, "food"),
          line("Kokbok om älgjakt", 1000, 249_00, "reduced"),
        ],
      });
      return inv.id;
    });
    const r = await runJson(["invoice-pdf", "--id", String(id), "--out", out, "--now", NOW], db);
    const path = join(out, "invoices", "acme", "1.pdf");
    expect(r).toMatchObject({ rendered: 1, failed: 0, invoices: [{ invoiceId: id, number: 1, outcome: "completed", path, pages: 1 }] });
    expect(qpdfCheck(path).code).toBe(0);
    expect(readdirSync(join(out, "invoices", "acme"))).toEqual(["1.pdf"]); // no temporary file left
    const fonts = pdfFonts(path);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded && /Roboto/.test(f.name))).toBe(true);

    const text = pdfText(path);
    for (const expected of [
      "Åkesson & Öberg Bygg AB",
      "Storgatan 1",
      "111 22 Stockholm",
      "Org.nr 556016-0680",
      "Momsreg.nr SE556016068001",
      "Säte: Stockholm",
      "Godkänd för F-skatt",
      "Köpare",
      "Byggnads AB Västerås",
      "Industrivägen 4",
      "721 30 Västerås",
      "Momsreg.nr SE556677889901",
      "Faktura",
      "Fakturanummer",
      "Fakturadatum",
      "2026-11-20",
      "Leveransdatum",
      "2026-11-18",
      "Förfallodatum",
      "2026-12-20",
      "OCR-nummer",
      "18",
      "Er referens",
      "Åsa Öhman",
      "Vår referens",
      "Örjan",
      "Beskrivning",
      "Antal",
      "Enhet",
      "À-pris",
      "Moms",
      "Belopp",
      "Målning av trapphus, våning 1–3",
      "7,5",
      "tim",
      "845,50",
      "6 341,25",
      "Smörgåstårta",
      "1 698,00",
      "Kokbok om älgjakt",
      "Summa exkl. moms",
      "8 288,25 kr",
      "Moms 25 % på 6 341,25 kr",
      "1 585,31 kr",
      "Moms 6 % på 1 947,00 kr",
      "116,82 kr",
      "Öresavrundning",
      "-0,38 kr",
      "Att betala",
      "9 990,00 kr",
      "Bankgiro 5050-1055",
      "Ange OCR-nummer 18 vid betalning.",
      "Sida 1 av 1",
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toMatch(/undefined|null|NaN/);

    const bytes = readFileSync(path);
    await withDb(db, async (d) => {
      const row = await d
        .selectFrom("invoice")
        .select(["pdf_path", "pdf_sha256", "pdf_generated_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.pdf_path).toBe(path);
      expect(row.pdf_sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.pdf_generated_at?.slice(0, 16)).toBe(NOW.slice(0, 16));
      const audit = await d
        .selectFrom("audit_log")
        .select(["action", "changed_fields", "worker"])
        .where("table_name", "=", "invoice")
        .where("row_id", "=", id)
        .orderBy("id")
        .execute();
      expect({ ...audit.at(-1), changed_fields: JSON.parse(audit.at(-1)?.changed_fields ?? "null") }).toEqual({
        action: "update",
        changed_fields: ["pdf_generated_at", "pdf_path", "pdf_sha256"],
        worker: expect.stringMatching(/^job:\d+$/),
      });
    });
  });

  it('a 300-line invoice paginates with the header row and "Sida X av Y" on every page', async (ctx) => {
    requireTools(["pdftotext", "pdfinfo", "qpdf"])(ctx);
    const { db, out } = await setup();
    const id = await withDb(db, async (d) => {
      const t = await addTenant(d);
      const c = await addClient(d, t.id);
      const lines = Array.from({ length: 300 }, (_, i) =>
        line(`Rad ${i + 1}: åäö ÅÄÖ arbete`, 1000 + i * 250, 1000_00 + i, i % 4 === 0 ? "food" : "standard", "tim"),
      );
      return (await addInvoice(d, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines })).id;
    });
    const r = await runJson(["invoice-pdf", "--id", String(id), "--out", out], db);
    const path = join(out, "invoices", "acme", "1.pdf");
    const pages = pdfPages(path);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(r.invoices[0].pages).toBe(pages);
    expect(qpdfCheck(path).code).toBe(0);
    const perPage = pdfText(path)
      .split("\f")
      .filter((p) => p.trim() !== "");
    expect(perPage.length).toBe(pages);
    perPage.forEach((page, i) => {
      expect(page).toContain(`Sida ${i + 1} av ${pages}`);
      // The table header is repeated on every page the table continues on.
      if (page.includes("Rad ")) expect(page).toMatch(/Beskrivning[\s\S]*À-pris[\s\S]*Rad \d+/);
      expect(page).toContain("Åkesson & Öberg Bygg AB");
    });
    expect(perPage.filter((page) => page.includes("Rad ")).length).toBeGreaterThanOrEqual(pages - 1);
    const text = perPage.join("\n");
    for (let i = 1; i <= 300; i++) expect(text).toContain(`Rad ${i}: åäö ÅÄÖ arbete`);
    expect(text).toMatch(/Moms 25 %[\s\S]*Moms 6 %/);
  });

  it("long words break inside their column: every column and every text stays on the page", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, out } = await setup();
    // As long as the input allows (500 characters a text, 20 a unit, 2000 the notes), without a space.
    const word = (n: number) => "Fastighetsförvaltningskonsulttjänsteavtalsförhandlingsmöte".repeat(40).slice(0, n);
    const texts = { tenant: `W${word(499)}`, client: word(500), street: word(500), ref: word(500), description: word(500) };
    const id = await withDb(db, async (d) => {
      const t = await addTenant(d, { overrides: { name: texts.tenant, registered_office: word(500), email: word(500) } });
      const c = await addClient(d, t.id, { name: texts.client, street: texts.street, town: word(500) });
      const inv = await addInvoice(d, {
        tenantId: t.id,
        clientId: c,
        invoiceDate: "2026-11-20",
        yourReference: texts.ref,
        ourReference: "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        notes: word(2000),
        lines: [
          line(texts.description, 2000, 950_00, "standard", "kvadratmetertimmarna"),
          line("Takarbete", 7500, 650_00, "standard", "tim"),
        ],
      });
      return inv.id;
    });
    const r = await runJson(["invoice-pdf", "--id", String(id), "--out", out, "--now", NOW], db);
    expect(r).toMatchObject({ rendered: 1, failed: 0 });
    const path = join(out, "invoices", "acme", "1.pdf");

    const words = pdfWords(path);
    const outside = words.filter((w) => w.xMin < 39 || w.xMax > w.pageWidth - 39);
    expect(outside.map((w) => `${w.text.slice(0, 30)}… at ${w.xMin.toFixed(0)}–${w.xMax.toFixed(0)}`)).toEqual([]);
    const text = pdfText(path);
    for (const column of ["Beskrivning", "Antal", "Enhet", "À-pris", "Moms", "Belopp", "1 900,00", "4 875,00", "950,00", "650,00"])
      expect(text, column).toContain(column);
    // Nothing is cut: every long text is there, broken over lines.
    const joined = text.replace(/\s+/g, "");
    for (const [field, value] of Object.entries(texts)) expect(joined, field).toContain(value);
    expect(joined).toContain("kvadratmetertimmarna");
  });

  it("text the PDF's font cannot show is refused where it comes in (exit 2, naming it) and never left out of a PDF", async () => {
    const { db, out } = await setup();
    const stored = await withDb(db, async (d) => {
      const t = await addTenant(d);
      const c = await addClient(d, t.id, { external_id: "K-100" });
      // Stored before this was checked: the job fails for good instead of leaving the characters out.
      return (await addInvoice(d, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("Raket 🚀", 1000, 100_00)] })).id;
    });
    const added = await runCli(
      ["invoices", "add", "--tenant", "acme", "--client", "K-100", "--date", "2026-11-20", "--line", "Emoji 🚀 漢字;1;st;100", "--issue"],
      db,
    );
    expect(added.code).toBe(2);
    expect(added.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/--line 1 description: "🚀" \(U\+1F680\) cannot be printed on the invoice PDF/),
    ]);
    const notes = await runCli(
      ["invoices", "add", "--tenant", "acme", "--client", "K-100", "--date", "2026-11-20", "--line", "A;1;st;100", "--notes", "Tack 漢字"],
      db,
    );
    expect(notes.code).toBe(2);
    expect(notes.stderr).toMatch(/--notes: "漢" \(U\+6F22\) cannot be printed on the invoice PDF/);

    const file = join(out, "..", "records.ndjson");
    writeFileSync(
      file,
      [
        { kind: "client", tenant: "acme", id: "K-200", name: "Kund 😀 AB" },
        {
          kind: "invoice",
          tenant: "acme",
          id: "F-1",
          client: "K-100",
          invoiceDate: "2026-11-20",
          lines: [{ description: "Arbete", quantityMilli: 1000, unit: "st✓✓", unitPriceOre: 100, vatCategory: "standard" }],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const imported = await runCli(["backoffice", "import", file], db);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/line 1: .*name: "😀" \(U\+1F600\) cannot be printed on the invoice PDF/);
    expect(imported.stderr).toMatch(/line 2: .*lines\[0\]\.unit: "✓" \(U\+2713\) cannot be printed on the invoice PDF/);
    const invoices = await withDb(db, (d) => d.selectFrom("invoice").select("id").execute());
    expect(invoices).toHaveLength(1);

    const r = await runCli(["invoice-pdf", "--id", String(stored), "--out", out, "--json"], db);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).invoices[0]).toMatchObject({
      outcome: "dead",
      error: expect.stringMatching(/line 1 description: "🚀" \(U\+1F680\) cannot be printed/),
    });
    expect(existsSync(join(out, "invoices"))).toBe(false);
  });

  it("reverse charge and credit notes carry their legal texts", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, out } = await setup();
    const ids = await withDb(db, async (d) => {
      const t = await addTenant(d);
      const c = await addClient(d, t.id);
      const rc = await addInvoice(d, {
        tenantId: t.id,
        clientId: c,
        invoiceDate: "2026-11-20",
        reverseCharge: true,
        lines: [line("Snickeriarbete", 40_000, 645_00, "standard", "tim")],
      });
      const cr = await addInvoice(d, {
        tenantId: t.id,
        clientId: c,
        kind: "credit",
        creditedInvoiceId: rc.id,
        invoiceDate: "2026-11-21",
        reverseCharge: true,
        lines: [line("Kreditering: snickeriarbete", -4000, 645_00, "standard", "tim")],
      });
      return [rc.id, cr.id];
    });
    const r = await runJson(["invoice-pdf", "--pending", "--out", out], db);
    expect(r).toMatchObject({ rendered: 2, failed: 0 });
    const rc = pdfText(join(out, "invoices", "acme", "1.pdf"));
    expect(rc).toContain("Omvänd betalningsskyldighet. Köparens momsregistreringsnummer: SE556677889901.");
    expect(rc).toContain("Moms 0 % på 25 800,00 kr");
    expect(rc).toContain("Att betala");
    const cr = pdfText(join(out, "invoices", "acme", "2.pdf"));
    for (const s of [
      "Kreditfaktura",
      "Kreditfakturanummer",
      "Avser faktura",
      "1 (2026-11-20)",
      "Kreditering av faktura 1 daterad 2026-11-20.",
      "Att kreditera",
      "-2 580,00 kr",
      "Beloppet krediteras och ska inte betalas.",
    ])
      expect(cr, s).toContain(s);
    expect(cr).not.toContain("OCR-nummer");
    expect(ids.length).toBe(2);
  });

  it("a missing mandatory field fails the job permanently, listing what is missing; no file is written", async () => {
    const { db, out } = await setup();
    const id = await withDb(db, async (d) => {
      const t = await addTenant(d, { overrides: { vat_number: null } });
      const c = await addClient(d, t.id, { street: null });
      return (await addInvoice(d, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("Arbete", 100_000, 1000_00)] }))
        .id;
    });
    const r = await runCli(["invoice-pdf", "--id", String(id), "--out", out, "--json"], db);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.invoices[0]).toMatchObject({
      outcome: "dead",
      error: `invoice ${id} cannot be issued as a PDF; missing: seller VAT number; buyer address (required on a full invoice)`,
    });
    expect(existsSync(join(out, "invoices"))).toBe(false);
    const jobs = await runJson(["jobs", "list", "--type", "invoice.pdf"], db);
    expect(jobs.jobs[0]).toMatchObject({ state: "dead", attempts: 1 });

    // The failure counts against the PDF failure rate in status.
    const status = await runCli(["status", "--check", "--json"], db);
    expect(JSON.parse(status.stdout).backoffice.invoicePdf).toMatchObject({ attempts24h: 1, failed24h: 1, failureRate: 1 });
    expect(JSON.parse(status.stdout).health.problems.join("\n")).toMatch(
      /1 of 1 invoice PDF attempts failed in the last 24h \(100%, limit 10%\)/,
    );
  });

  it("--pending renders what is missing or out of date, once; broken invoices are not retried until changed", async (ctx) => {
    requireTools(["pdftotext"])(ctx);
    const { db, out } = await setup();
    const ids = await withDb(db, async (d) => {
      const t = await addTenant(d);
      const good = await addClient(d, t.id);
      const noAddress = await addClient(d, t.id, { street: null });
      const a = await addInvoice(d, { tenantId: t.id, clientId: good, invoiceDate: "2026-11-20", lines: [line("A", 1000, 100_00)] });
      const b = await addInvoice(d, { tenantId: t.id, clientId: good, invoiceDate: "2026-11-20", lines: [line("B", 1000, 100_00)] });
      const broken = await addInvoice(d, {
        tenantId: t.id,
        clientId: noAddress,
        invoiceDate: "2026-11-20",
        lines: [line("C", 1000, 10_000_00)],
      });
      await addInvoice(d, { tenantId: t.id, clientId: good, invoiceDate: "2026-11-20", lines: [line("Utkast", 1000, 1)], issue: false });
      return { a: a.id, b: b.id, broken: broken.id };
    });
    const first = await runCli(["invoice-pdf", "--pending", "--out", out, "--json"], db);
    expect(first.code).toBe(1); // one died
    expect(JSON.parse(first.stdout)).toMatchObject({ rendered: 2, failed: 1, skipped: [] });
    const second = await runJson(["invoice-pdf", "--pending", "--out", out], db);
    expect(second).toMatchObject({ rendered: 0, failed: 0, skipped: [ids.broken] });

    const before = readFileSync(join(out, "invoices", "acme", "2.pdf"));
    const changedAt = new Date(Date.now() + 60_000).toISOString(); // after the PDFs were rendered
    await withDb(db, (d) =>
      d.updateTable("invoice").set({ your_reference: "Ändrad referens", updated_at: changedAt }).where("id", "=", ids.b).execute(),
    );
    await withDb(db, (d) => d.updateTable("client").set({ street: "Ny gata 1" }).execute());
    await withDb(db, (d) =>
      d.updateTable("invoice").set({ buyer_street: "Ny gata 1", updated_at: changedAt }).where("id", "=", ids.broken).execute(),
    );
    const third = await runJson(["invoice-pdf", "--pending", "--out", out], db);
    expect(third).toMatchObject({ rendered: 2, failed: 0, skipped: [] });
    expect(third.invoices.map((x: { invoiceId: number }) => x.invoiceId).sort()).toEqual([ids.b, ids.broken].sort());
    expect(readFileSync(join(out, "invoices", "acme", "2.pdf")).equals(before)).toBe(false);
    expect(pdfText(join(out, "invoices", "acme", "2.pdf"))).toContain("Ändrad referens");
  });

  it("a failed write is retried about a minute later (policy: 1, 5, 15 minutes, then dead)", async () => {
    const { db, out } = await setup();
    const types = await runJson(["jobs", "types"], db);
    expect(types.types.find((t: { type: string }) => t.type === "invoice.pdf")).toMatchObject({
      maxAttempts: 4,
      retryDelaysMs: [60_000, 300_000, 900_000],
    });
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addInvoice(d, { tenantId: t.id, clientId: await addClient(d, t.id), invoiceDate: "2026-11-20", lines: [line("x", 1000, 100)] });
    });
    // A file where the invoices directory belongs: nothing can be written under it.
    const blocked = join(out, "..", "blocked");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "invoices"), "");
    const r = await runCli(["invoice-pdf", "--id", "1", "--out", blocked, "--json"], db);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).invoices[0]).toMatchObject({ outcome: "retry", error: expect.stringMatching(/ENOTDIR|not a directory/) });
    const { job, attempts } = await runJson(["jobs", "show", "1"], db);
    expect(job).toMatchObject({ state: "pending", attempts: 1, maxAttempts: 4 });
    // From the failed attempt's end, not from now: how long this test took must not matter.
    const delay = Date.parse(job.runAt) - Date.parse(attempts[0].finishedAt);
    expect(delay).toBeGreaterThanOrEqual(50_000); // 60 s less 10 % jitter, less the moment between the two stamps
    expect(delay).toBeLessThanOrEqual(66_000);
    expect(existsSync(out)).toBe(false);
  });

  it("one live job per invoice: --id and a schedule run the queued job instead of adding one", async () => {
    const { db, out } = await setup();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addInvoice(d, { tenantId: t.id, clientId: await addClient(d, t.id), invoiceDate: "2026-11-20", lines: [line("x", 1000, 100)] });
    });
    const blocked = join(out, "..", "blocked");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "invoices"), "");
    const liveJobs = async () =>
      (await runJson(["jobs", "list", "--type", "invoice.pdf"], db)).jobs.filter((j: { state: string }) =>
        ["pending", "running"].includes(j.state),
      );

    expect((await runCli(["invoice-pdf", "--pending", "--out", blocked], db)).code).toBe(0); // failed, to be retried in a minute
    const [queued] = await liveJobs();
    expect(queued).toMatchObject({ state: "pending", attempts: 1 });

    const again = await runCli(["invoice-pdf", "--id", "1", "--out", blocked, "--json"], db);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).invoices[0]).toMatchObject({ jobId: queued.id, outcome: "retry" });
    expect(await liveJobs()).toEqual([expect.objectContaining({ id: queued.id, attempts: 2 })]);

    expect((await runCli(scheduleAddArgs("pdf-1", "invoice.pdf", { invoiceId: 1 }), db)).code).toBe(0);
    const tick = await runJson(["enqueue", "--now", `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 11)}02:00:30Z`], db);
    expect(tick.schedules[0].runs).toHaveLength(1);
    expect(await liveJobs()).toEqual([expect.objectContaining({ id: queued.id })]);

    const added = await runJson(["jobs", "add", "invoice.pdf", "--payload", '{"invoiceId":1}'], db);
    expect(added).toMatchObject({ created: 0, jobs: [{ id: queued.id, created: false }] });
    expect(await liveJobs()).toEqual([expect.objectContaining({ id: queued.id })]);

    const done = await runJson(["invoice-pdf", "--id", "1", "--out", out], db);
    expect(done.invoices[0]).toMatchObject({ jobId: queued.id, outcome: "completed" });
    expect(existsSync(join(out, "invoices", "acme", "1.pdf"))).toBe(true);
    expect((await runJson(["jobs", "list", "--type", "invoice.pdf"], db)).jobs).toHaveLength(1);
  });

  it("two --pending runs at once render each invoice once", async () => {
    const { db, out } = await setup();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      const c = await addClient(d, t.id);
      for (let i = 0; i < 12; i++)
        await addInvoice(d, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line(`Rad ${i}`, 1000, 100_00)] });
    });
    const runs = await Promise.all([0, 1].map(() => runCli(["invoice-pdf", "--pending", "--out", out, "--json"], db)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rendered = runs.map((r) => JSON.parse(r.stdout).rendered as number);
    expect(rendered[0]! + rendered[1]!).toBe(12);
    expect(readdirSync(join(out, "invoices", "acme")).length).toBe(12);
    const jobs = (await runJson(["jobs", "list", "--type", "invoice.pdf"], db)).jobs;
    expect(jobs.length).toBe(12);
    expect(jobs.every((j: { state: string; attempts: number }) => j.state === "completed" && j.attempts === 1)).toBe(true);
  });

  it("bad input exits 2 and writes nothing", async () => {
    const { db, out } = await setup();
    const draft = await withDb(db, async (d) => {
      const t = await addTenant(d);
      return (
        await addInvoice(d, {
          tenantId: t.id,
          clientId: await addClient(d, t.id),
          invoiceDate: "2026-11-20",
          lines: [line("x", 1000, 1)],
          issue: false,
        })
      ).id;
    });
    const cases: Array<[string[], RegExp]> = [
      [["invoice-pdf"], /give either --id ID or --pending/],
      [["invoice-pdf", "--id", "1", "--pending"], /give either --id ID or --pending/],
      [["invoice-pdf", "--id", "abc"], /invalid --id "abc"/],
      [["invoice-pdf", "--id", "99"], /no invoice with id 99/],
      [["invoice-pdf", "--id", String(draft), "--out", out], /is a draft: only issued invoices get a PDF/],
      [["invoice-pdf", "--id", "1", "--limit", "3"], /--limit only goes with --pending/],
      [["invoice-pdf", "--pending", "--limit", "0"], /invalid --limit "0"/],
      [["invoice-pdf", "--id", "1", "--out", db], /^leadjobs: --out .*bo\.db: is a file, not a directory\n$/],
      [["invoice-pdf", "--pending", "--out", join(db, "files")], /^leadjobs: --out .*: .*bo\.db is a file, not a directory\n$/],
    ];
    if (onPostgres) writeFileSync(db, ""); // the path is the database file on SQLite: a file in the way of --out
    for (const [args, message] of cases) {
      const r = await runCli(args, db, { env: { LEADJOBS_STORAGE_ROOT: out } });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n").length).toBe(1);
    }
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!existsSync("/proc/sys"))(
    "an --out that cannot be made (/proc/sys/foo) fails the attempt at once instead of spinning on mkdir",
    async () => {
      const { db } = await setup();
      await withDb(db, async (d) => {
        const t = await addTenant(d);
        await addInvoice(d, {
          tenantId: t.id,
          clientId: await addClient(d, t.id),
          invoiceDate: "2026-11-20",
          lines: [line("x", 1000, 100)],
        });
      });
      const r = await runCli(["invoice-pdf", "--id", "1", "--out", "/proc/sys/leadjobs-test", "--json"], db);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).invoices[0]).toMatchObject({
        outcome: "retry",
        error: expect.stringMatching(/ENOENT.*mkdir '\/proc\/sys\/leadjobs-test'/),
      });
    },
    30_000,
  );
});
