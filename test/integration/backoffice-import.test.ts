import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { immediate } from "../../src/core/db/handle.ts";
import { parseRecordsCsv } from "../../src/core/records/csv.ts";
import { exportRecords } from "../../src/core/records/export.ts";
import { ImportRefusedError, importRecords, parseRecordLines } from "../../src/core/records/import.ts";
import { seedBackoffice } from "../../src/core/seed/backoffice.ts";
import { T0 } from "../helpers/backoffice.ts";
import { testStore } from "../helpers/store.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/backoffice/${name}`, import.meta.url), "utf8");
const ndjson = (records: unknown[]) => parseRecordLines(records.map((r) => JSON.stringify(r)).join("\n"));
const opts = { source: "test", now: T0 };

async function acme() {
  const store = await testStore();
  await importRecords(store.db, parseRecordLines(fixture("acme.ndjson")), opts);
  return store;
}

const counts = async (db: Awaited<ReturnType<typeof testStore>>["db"]) => ({
  clients: (
    await db
      .selectFrom("client")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
  ).n,
  invoices: (
    await db
      .selectFrom("invoice")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
  ).n,
  audit: (
    await db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
  ).n,
});

const line = (o: Record<string, unknown> = {}) => ({
  description: "Arbete",
  quantityMilli: 2000,
  unit: "tim",
  unitPriceOre: 65000,
  vatCategory: "standard",
  ...o,
});
const invoice = (o: Record<string, unknown> = {}) => ({
  kind: "invoice",
  tenant: "acme",
  id: "F-1",
  client: "K-100",
  invoiceDate: "2026-11-20",
  lines: [line()],
  ...o,
});

describe("backoffice import: the operator's records, all or nothing", () => {
  it("imports the documented files (NDJSON and both CSVs) and a re-import changes nothing", async () => {
    const store = await acme();
    const time = await importRecords(store.db, parseRecordsCsv(fixture("time.csv"), "time.csv", undefined), opts);
    const material = await importRecords(store.db, parseRecordsCsv(fixture("material.csv"), "material.csv", undefined), opts);
    expect(time.kinds["time-entry"]).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(material.kinds["material-cost"]).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const before = await counts(store.db);
    const again = await importRecords(store.db, parseRecordLines(fixture("acme.ndjson")), opts);
    expect(again.kinds.tenant).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.kinds.client).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.kinds.budget).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await counts(store.db)).toEqual(before); // not even an audit row
    const thresholds = await store.db.selectFrom("budget_threshold").select(["type", "percent", "notify"]).orderBy("type").execute();
    expect(thresholds).toEqual([
      { type: "hours", percent: 80, notify: 1 },
      { type: "material", percent: 90, notify: 0 },
      { type: "total", percent: 100, notify: 1 },
    ]);
  });

  it("a changed record updates its row in place, by the operator's id", async () => {
    const store = await acme();
    const r = await importRecords(
      store.db,
      ndjson([{ kind: "client", tenant: "acme", id: "K-200", name: "Fastighets AB Norr (ny)", orgnr: "5561234567" }]),
      opts,
    );
    expect(r.kinds.client).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const row = await store.db.selectFrom("client").select(["name", "street"]).where("external_id", "=", "K-200").executeTakeFirstOrThrow();
    expect(row).toEqual({ name: "Fastighets AB Norr (ny)", street: null }); // a record is the whole row
  });

  it("refuses a file naming every bad record by line, and writes nothing", async () => {
    const store = await acme();
    const before = await counts(store.db);
    const bad = [
      { kind: "client", tenant: "acme", id: "K-300", name: "Fel AB", orgnr: "5566778890" },
      { kind: "budget", tenant: "acme", project: "P-1", totalOre: 100, thresholds: [{ type: "total", percent: 1001 }] },
      invoice({ id: "F-9", lines: [line({ vatCategory: "food" })], invoiceDate: "1995-05-01" }),
      invoice({ id: "F-10", lines: [{ description: "Spik", quantityMilli: 1000, unit: "st", vatCategory: "standard" }] }),
      invoice({ id: "F-11", client: "K-999" }),
      invoice({ id: "F-12", number: 5, ocr: "1234" }),
      { kind: "client", tenant: "acme", id: "K-400", name: "Bra AB" },
    ];
    const err = await importRecords(store.db, [...ndjson(bad), { line: 8, reason: "not valid JSON" }], opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRefusedError);
    const reasons = (err as ImportRefusedError).refused.map((x) => `${x.line}: ${x.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^1: client "K-300": bad organisationsnummer: .*wrong check digit/),
      '2: budget "P-1": thresholds[0].percent: threshold over 1000 %',
      '3: invoice "F-9": lines[0]: VAT rate unknown for category "food" on 1995-05-01',
      '4: invoice "F-10": lines[0].unitPriceOre: missing',
      '5: invoice "F-11": unknown reference: no client "K-999" in this tenant',
      '6: invoice "F-12": OCR reference 1234 has a wrong check digit or length digit',
      "8: not valid JSON",
    ]);
    expect(await counts(store.db)).toEqual(before); // K-400 (valid) was rolled back too
  });

  it("an OCR reference another invoice of the tenant has is refused naming that invoice, not by the unique index", async () => {
    const store = await acme();
    await importRecords(store.db, ndjson([invoice({ number: 17 }), invoice({ id: "F-2", ocr: "232" })]), opts); // F-1 gets 1743
    const err = await importRecords(
      store.db,
      ndjson([invoice({ id: "F-3", ocr: "1743" }), invoice({ id: "F-4", number: 2 }), invoice({ id: "F-2", ocr: "232", notes: "x" })]),
      opts,
    ).catch((e: unknown) => e);
    expect((err as ImportRefusedError).refused).toEqual([
      { line: 1, reason: 'invoice "F-3": OCR reference 1743 is already used by invoice "F-1"' },
      { line: 2, reason: 'invoice "F-4": OCR reference 232 is already used by invoice "F-2"' }, // the reference number 2 would get
    ]);
    expect((await counts(store.db)).invoices).toBe(2); // and F-2 keeping its own reference is no conflict
  });

  it("an issued invoice keeps its number and gets its OCR reference; its PDF job is queued once", async () => {
    const store = await acme();
    const r = await importRecords(store.db, ndjson([invoice({ number: 17 })]), opts);
    expect(r.pdfJobs).toBe(1);
    const inv = await store.db.selectFrom("invoice").select(["number", "ocr", "status"]).executeTakeFirstOrThrow();
    expect(inv).toEqual({ number: 17, ocr: "1743", status: "issued" }); // 17, then the length digit 4, then the Luhn digit
    expect((await store.db.selectFrom("tenant").select("next_invoice_number").executeTakeFirstOrThrow()).next_invoice_number).toBe(18);
    const changed = await importRecords(store.db, ndjson([invoice({ number: 17, lines: [line({ quantityMilli: 3000 })] })]), opts);
    expect(changed.kinds.invoice.updated).toBe(1);
    expect(changed.pdfJobs).toBe(1); // the same pending job: deduplicated
    const jobs = await store.db.selectFrom("job").select(["type", "dedupe_key"]).execute();
    expect(jobs).toEqual([{ type: "invoice.pdf", dedupe_key: `invoice.pdf:1` }]);
    const renumber = await importRecords(store.db, ndjson([invoice({ number: 18 })]), opts).catch((e: unknown) => e);
    expect((renumber as ImportRefusedError).refused[0]?.reason).toMatch(/issued as number 17/);
  });

  it("a record named #<row id> becomes that row, so rows made later never take its name", async () => {
    const store = await acme();
    await importRecords(store.db, ndjson([invoice({ id: "#1" }), invoice({ id: "F-2" }), invoice({ id: "#5" })]), opts);
    await importRecords(store.db, ndjson([invoice({ id: "F-6" })]), opts);
    const rows = await store.db.selectFrom("invoice").select(["id", "external_id"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: 1, external_id: null },
      { id: 2, external_id: "F-2" },
      { id: 5, external_id: null },
      { id: 6, external_id: "F-6" },
    ]);
    const refused = await importRecords(
      store.db,
      ndjson([invoice({ id: "#2" }), invoice({ id: "#05" }), { kind: "client", tenant: "acme", id: "#x", name: "X AB" }]),
      opts,
    ).catch((e: unknown) => e);
    expect((refused as ImportRefusedError).refused.map((x) => `${x.line}: ${x.reason}`)).toEqual([
      '1: invoice "#2": row 2 is another invoice: #<row id> names a row made without an id; give this invoice an id of its own',
      '2: invoice "#05": id: an id beginning with # is a row id, e.g. #12 (a row made without an id)',
      '3: client "#x": id: an id beginning with # is a row id, e.g. #12 (a row made without an id)',
    ]);
  });

  it("export → import into an empty database → export gives the same records (the seeded back office)", async () => {
    const source = await testStore();
    await immediate(source.db, async (trx) => {
      const users = [];
      for (const u of ["ada", "bo", "cecilia"])
        users.push(
          (
            await trx
              .insertInto("app_user")
              .values({
                username: u,
                display_name: null,
                email: `${u}@example.se`,
                role: "manager",
                created_at: new Date(T0).toISOString(),
              })
              .returning("id")
              .executeTakeFirstOrThrow()
          ).id,
        );
      await seedBackoffice(trx, { seed: 1, now: T0, userIds: users });
    });
    const first = await exportRecords(source.db);
    expect(new Set(first.map((r) => r.kind))).toEqual(
      new Set(["tenant", "client", "project", "budget", "time-entry", "material-cost", "invoice", "share-link", "link-view"]),
    );
    const target = await testStore();
    await importRecords(target.db, ndjson(first), opts);
    const second = await exportRecords(target.db);
    expect(second.map((r) => JSON.stringify(r)).join("\n")).toBe(first.map((r) => JSON.stringify(r)).join("\n"));
    // and importing the export into the database it came from changes nothing
    const again = await importRecords(source.db, ndjson(first), opts);
    for (const c of Object.values(again.kinds)) expect(c.created + c.updated).toBe(0);
  }, 180_000); // 10 804 records; on PostgreSQL each new row is a round trip to the server
});
