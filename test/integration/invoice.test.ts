import { copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/core/db/connection.ts";
import { immediate } from "../../src/core/db/handle.ts";
import { createInvoice } from "../../src/core/invoice/issue.ts";
import { loadInvoiceDocument } from "../../src/core/invoice/load.ts";
import { pendingInvoices } from "../../src/core/invoice/pending.ts";
import { buildInvoiceView, type InvoiceView } from "../../src/core/invoice/view.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { addClient, addInvoice, addTenant, line, T0 } from "../helpers/backoffice.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const plain = (s: string) => s.replace(/\u00a0/g, " ");

async function view(db: Db, id: number): Promise<InvoiceView> {
  const r = buildInvoiceView((await loadInvoiceDocument(db, id))!);
  if (!r.ok) throw new Error(`missing: ${r.missing.join("; ")}`);
  return r.view;
}

describe("issuing invoices", () => {
  it("numbers come from a gap-free series per tenant; a rolled-back issue gives its number back", async () => {
    const { db } = await testStore();
    const a = await addTenant(db, { slug: "a" });
    const b = await addTenant(db, { slug: "b" });
    const ca = await addClient(db, a.id);
    const cb = await addClient(db, b.id);
    const issue = (tenantId: number, clientId: number) =>
      addInvoice(db, { tenantId, clientId, invoiceDate: "2026-11-20", lines: [line("Arbete", 1000, 100_00)] });
    expect((await issue(a.id, ca)).number).toBe(1);
    expect((await issue(a.id, ca)).number).toBe(2);
    expect((await issue(b.id, cb)).number).toBe(1);
    await expect(
      immediate(db, async (trx) => {
        await createInvoice(trx, { tenantId: a.id, clientId: ca, invoiceDate: "2026-11-20", lines: [line("x", 1000, 1)], issue: true }, T0);
        throw new Error("crash after issuing");
      }),
    ).rejects.toThrow(/crash/);
    expect((await issue(a.id, ca)).number).toBe(3);
    const draft = await addInvoice(db, {
      tenantId: a.id,
      clientId: ca,
      invoiceDate: "2026-11-20",
      lines: [line("x", 1000, 1)],
      issue: false,
    });
    expect(draft.number).toBeNull();
    expect((await issue(a.id, ca)).number).toBe(4);
    const numbers = (
      await db
        .selectFrom("invoice")
        .select("number")
        .where("tenant_id", "=", a.id)
        .where("number", "is not", null)
        .orderBy("number")
        .execute()
    ).map((r) => r.number);
    expect(numbers).toEqual([1, 2, 3, 4]);
  });

  it("the OCR reference is the number with a check digit, and a length digit when the tenant's bank agreement has one", async () => {
    const { db } = await testStore();
    const plainT = await addTenant(db, { slug: "p" });
    const withLen = await addTenant(db, { slug: "l", ocrLengthDigit: true });
    const i1 = await addInvoice(db, {
      tenantId: plainT.id,
      clientId: await addClient(db, plainT.id),
      invoiceDate: "2026-11-20",
      lines: [line("x", 1000, 1)],
    });
    const i2 = await addInvoice(db, {
      tenantId: withLen.id,
      clientId: await addClient(db, withLen.id),
      invoiceDate: "2026-11-20",
      lines: [line("x", 1000, 1)],
    });
    expect(i1.ocr).toBe("18");
    expect(i2.ocr).toBe("133");
  });

  it("refuses bad input before writing", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    await expect(addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-02-30", lines: [line("x", 1, 1)] })).rejects.toThrow(
      /invalid invoice date "2026-02-30"/,
    );
    await expect(addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-02-01", lines: [] })).rejects.toThrow(
      /at least one line/,
    );
    await expect(
      addInvoice(db, { tenantId: t.id, clientId: c, kind: "credit", invoiceDate: "2026-02-01", lines: [line("x", -1, 1)] }),
    ).rejects.toThrow(/credit note must refer/);
    expect(await db.selectFrom("invoice").selectAll().execute()).toEqual([]);
  });
});

describe("what an invoice shows", () => {
  it("VAT per rate from the rate table by delivery date: food at 12 % before 2026-04-01 and 6 % from it", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    const lines = [
      line("Smörgåstårta", 2000, 849_00, "food"),
      line("Porslinshyra", 10_000, 19_90, "standard"),
      line("Konferenslunch", 12_000, 139_00, "hospitality"),
      line("Kokbok", 1000, 249_00, "reduced"),
    ];
    const before = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-04-02", deliveryDate: "2026-03-31", lines });
    const after = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-04-02", deliveryDate: "2026-04-01", lines });
    const vb = await view(db, before.id);
    const va = await view(db, after.id);
    expect(vb.amounts.groups).toEqual([
      { rateBp: 2500, taxableOre: 199_00, vatOre: 49_75 },
      { rateBp: 1200, taxableOre: 3366_00, vatOre: 403_92 }, // food 1698 + lunch 1668
      { rateBp: 600, taxableOre: 249_00, vatOre: 14_94 },
    ]);
    expect(va.amounts.groups).toEqual([
      { rateBp: 2500, taxableOre: 199_00, vatOre: 49_75 },
      { rateBp: 1200, taxableOre: 1668_00, vatOre: 200_16 },
      { rateBp: 600, taxableOre: 1947_00, vatOre: 116_82 }, // food 1698 + book 249
    ]);
    expect(va.totals.map((x) => plain(`${x.label}: ${x.value}`))).toEqual([
      "Summa exkl. moms: 3 814,00 kr",
      "Moms 25 % på 199,00 kr: 49,75 kr",
      "Moms 12 % på 1 668,00 kr: 200,16 kr",
      "Moms 6 % på 1 947,00 kr: 116,82 kr",
      "Summa moms: 366,73 kr",
      "Öresavrundning: 0,27 kr",
      "Att betala: 4 181,00 kr",
    ]);
    expect(va.meta).toContainEqual(["Leveransdatum", "2026-04-01"]);
    expect(va.lines[0]?.map(plain)).toEqual(["Smörgåstårta", "2", "st", "849,00", "6 %", "1 698,00"]);
  });

  it('reverse charge: no VAT, the buyer\'s VAT number and "Omvänd betalningsskyldighet"', async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    const inv = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      invoiceDate: "2026-11-20",
      reverseCharge: true,
      lines: [line("Snickeriarbete", 40_000, 645_00, "standard", "tim")],
    });
    const v = await view(db, inv.id);
    expect(v.amounts).toMatchObject({ vatOre: 0, totalOre: 25_800_00, payableOre: 25_800_00 });
    expect(v.notes).toContain("Omvänd betalningsskyldighet. Köparens momsregistreringsnummer: SE556677889901.");
    expect(v.lines[0]?.[4]).toBe("0\u00a0%");
    expect(v.buyer.lines).toContain("Momsreg.nr SE556677889901");
  });

  it("a credit note refers to the original and has negative amounts", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    const orig = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      invoiceDate: "2026-10-01",
      lines: [line("Målning", 10_000, 595_00, "standard", "tim")],
    });
    const credit = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      kind: "credit",
      creditedInvoiceId: orig.id,
      invoiceDate: "2026-10-15",
      lines: [line("Kreditering: Målning", -2500, 595_00, "standard", "tim")],
    });
    const v = await view(db, credit.id);
    expect(v.title).toBe("Kreditfaktura");
    expect(v.meta).toContainEqual(["Avser faktura", "1 (2026-10-01)"]);
    expect(v.notes[0]).toBe("Kreditering av faktura 1 daterad 2026-10-01.");
    expect(v.amounts).toMatchObject({ netOre: -1487_50, vatOre: -371_88, totalOre: -1859_38, payableOre: -1859_00, roundingOre: 38 });
    expect(plain(v.totals.at(-1)!.value)).toBe("-1 859,00 kr");
    expect(v.payment).toEqual(["Beloppet krediteras och ska inte betalas."]);
  });

  it("a credit note credits VAT at the rates of the original's supply, not of its own date", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    const orig = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      invoiceDate: "2026-03-31",
      deliveryDate: "2026-03-30",
      lines: [line("Smörgåstårta", 10_000, 849_00, "food")],
    });
    const credit = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      kind: "credit",
      creditedInvoiceId: orig.id,
      invoiceDate: "2026-04-15",
      lines: [line("Kreditering: Smörgåstårta", -2000, 849_00, "food")],
    });
    expect((await view(db, orig.id)).amounts.groups).toEqual([{ rateBp: 1200, taxableOre: 8490_00, vatOre: 1018_80 }]);
    expect((await view(db, credit.id)).amounts.groups).toEqual([{ rateBp: 1200, taxableOre: -1698_00, vatOre: -203_76 }]);
  });

  it("lists every missing mandatory field instead of printing placeholders", async () => {
    const { db } = await testStore();
    const t = await addTenant(db, { overrides: { vat_number: null, registered_office: null, bankgiro: null } });
    const c = await addClient(db, t.id, { street: null, vat_number: null });
    const inv = await addInvoice(db, {
      tenantId: t.id,
      clientId: c,
      invoiceDate: "2019-01-01",
      reverseCharge: true,
      lines: [line("Arbete", 100_000, 1000_00, "standard"), line("Okänt", 1000, 1, "luxury")],
    });
    const r = buildInvoiceView((await loadInvoiceDocument(db, inv.id))!);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.missing).toEqual([
      "seller VAT number",
      "seller registered office (säte)",
      "seller bankgiro or plusgiro",
      'a VAT rate for category "luxury" on 2019-01-01 (line 2)',
      "buyer VAT number (reverse charge)",
      "buyer address (required on a full invoice)",
    ]);
  });

  it("a small invoice (up to 4 000 kr incl. VAT) may leave out the buyer's address; a larger one may not", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id, { street: null, postcode: null, town: null });
    const small = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("Gips", 1000, 3200_00)] }); // 4000,00 incl. VAT
    const large = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("Gips", 1000, 3200_01)] });
    expect(buildInvoiceView((await loadInvoiceDocument(db, small.id))!).ok).toBe(true);
    expect(buildInvoiceView((await loadInvoiceDocument(db, large.id))!)).toEqual({
      ok: false,
      missing: ["buyer address (required on a full invoice)"],
    });
  });

  it("pending: issued invoices without a PDF or changed since theirs", async () => {
    const { db } = await testStore();
    const t = await addTenant(db);
    const c = await addClient(db, t.id);
    const a = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("x", 1000, 1)] });
    const b = await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("x", 1000, 1)] });
    await addInvoice(db, { tenantId: t.id, clientId: c, invoiceDate: "2026-11-20", lines: [line("x", 1000, 1)], issue: false });
    expect((await pendingInvoices(db)).ids).toEqual([a.id, b.id]);
    const row = await db.selectFrom("invoice").select("updated_at").where("id", "=", a.id).executeTakeFirstOrThrow();
    await db.updateTable("invoice").set({ pdf_source_updated_at: row.updated_at }).where("id", "=", a.id).execute();
    expect((await pendingInvoices(db)).ids).toEqual([b.id]);
    await db.updateTable("invoice").set({ notes: "Ny text", updated_at: "2026-11-23T00:00:00.000Z" }).where("id", "=", a.id).execute();
    expect((await pendingInvoices(db, 1)).ids).toEqual([a.id]);
  });
});

describe("OCR references", () => {
  it("migration 0023 leaves each tenant's OCR reference to one invoice: the first issued one keeps it, the others lose it (audited)", async () => {
    const path = join(tempDir(), "upgrade.db");
    const all = join(import.meta.dirname, "..", "..", "migrations", onPostgres ? "postgres" : "sqlite");
    const before = tempDir();
    for (const f of readdirSync(all).filter((f) => f < "0023")) copyFileSync(join(all, f), join(before, f));
    const old = await openStore(testDatabase(path), { busyTimeoutMs: 5000, migrationsDir: before });
    const a = await addTenant(old.db, { slug: "a" });
    const b = await addTenant(old.db, { slug: "b" });
    const add = async (tenantId: number, issue = true) =>
      (
        await addInvoice(old.db, {
          tenantId,
          clientId: await addClient(old.db, tenantId),
          invoiceDate: "2026-11-20",
          lines: [line("x", 1000, 1)],
          issue,
        })
      ).id;
    const draft = await add(a.id, false); // a draft made first: the issued invoice keeps the reference
    const first = await add(a.id);
    const second = await add(a.id);
    const other = await add(b.id); // another tenant's: its own
    await old.db.updateTable("invoice").set({ ocr: "18" }).execute(); // as invoices add --ocr let them
    await old.close();

    const { db } = await testStore(path);
    const ocrs = await db.selectFrom("invoice").select(["id", "ocr"]).orderBy("id").execute();
    expect(ocrs.map((r) => [Number(r.id), r.ocr])).toEqual([
      [draft, null],
      [first, "18"],
      [second, null],
      [other, "18"],
    ]);
    const audit = await db
      .selectFrom("audit_log")
      .select(["row_id", "old_values", "new_values", "worker"])
      .where("worker", "=", "migration 0023")
      .orderBy("row_id")
      .execute();
    expect(audit.map((r) => [Number(r.row_id), JSON.parse(r.old_values as string), JSON.parse(r.new_values as string)])).toEqual([
      [draft, { ocr: "18" }, { ocr: null }],
      [second, { ocr: "18" }, { ocr: null }],
    ]);
    await expect(db.updateTable("invoice").set({ ocr: "18" }).where("id", "=", second).execute()).rejects.toThrow(/unique|duplicate/i);
  });
});
