import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importCompanies } from "../../src/core/companies/import.ts";
import { NO_IMPORT_COUNTS } from "../../src/core/companies/schema.ts";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import type { LeadjobsError } from "../../src/core/errors.ts";
import { workerIdentity } from "../../src/core/runtime/owner.ts";
import { searchCompanies } from "../../src/core/companies/search.ts";
import { getCompany } from "../../src/core/companies/show.ts";
import { fileSource } from "../../src/core/companies/source.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const HEADER =
  "organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress";
const q = (fields: string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(";");
const bv = (
  orgnr: string,
  name: string,
  o: { town?: string; postcode?: string; desc?: string; dereg?: string; pending?: string; form?: string } = {},
) =>
  q([
    `${orgnr}$ORGNR-IDORG`,
    "",
    "SE-LAND",
    `${name}$FORETAGSNAMN-ORGNAM$2015-01-01`,
    `${o.form ?? "AB"}-ORGFO`,
    o.dereg ?? "",
    o.dereg ? "LIAV-AVORSAK" : "",
    o.pending ?? "",
    "2015-01-01",
    o.desc ?? "",
    `Storgatan 1$$${(o.town ?? "STOCKHOLM").toUpperCase()}$${o.postcode ?? "11122"}$SE-LAND`,
  ]);

// Valid organisationsnummer (Luhn, third digit >= 2).
const N = ["5560160680", "5566778899", "5560125790", "2021005489", "5560000001", "5567549984", "5568998115", "5766426505"];

async function load(
  store: Store,
  dir: string,
  name: string,
  content: string | Buffer,
  now = Date.parse("2026-05-01T08:00:00Z"),
  extra: { markMissing?: "auto" | "always" | "never" } = {},
) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return importCompanies(store, { source: await fileSource(path), clock: () => now, ...extra });
}

/** A zip of one entry (deflated, or stored with method 0); `zip64` writes ZIP64 end records; `crc` overrides the checksum. */
function zipOf(entryName: string, text: Buffer, o: { method?: 0 | 8; crc?: number; zip64?: boolean } = {}): Buffer {
  const method = o.method ?? 8;
  const name = Buffer.from(entryName);
  const data = method === 8 ? deflateRawSync(text) : text;
  const crc = o.crc ?? crc32(text);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(text.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(45, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(text.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const cdSize = central.length + name.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (!o.zip64) {
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(cdSize, 12);
    end.writeUInt32LE(cdOffset, 16);
    return Buffer.concat([local, name, data, central, name, end]);
  }
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  const end64 = Buffer.alloc(56);
  end64.writeUInt32LE(0x06064b50, 0);
  end64.writeBigUInt64LE(44n, 4);
  end64.writeUInt16LE(45, 12);
  end64.writeUInt16LE(45, 14);
  end64.writeBigUInt64LE(1n, 24);
  end64.writeBigUInt64LE(1n, 32);
  end64.writeBigUInt64LE(BigInt(cdSize), 40);
  end64.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([local, name, data, central, name, end64, locator, end]);
}

describe("companies import into a real database", () => {
  it("Bolagsverket's bulk file: imports, reports rejected rows by line, skips sole traders", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const s = await load(
      store,
      dir,
      "bolagsverket_bulkfil.txt",
      [
        HEADER,
        bv(N[0]!, "Åkesson Logistik AB", { town: "Göteborg", postcode: "41764", desc: "Tredjepartslogistik och lager" }),
        bv(N[1]!, "Konkurs Trading AB", { pending: "|KK-AVOMFO$2026-01-01" }),
        bv("5560160681", "Fel Kontrollsiffra AB"),
        q([
          "198112189876$PERSON-IDORG",
          "1",
          "SE-LAND",
          "Anna Andersson$FORETAGSNAMN-ORGNAM$2015-01-01",
          "E-ORGFO",
          "",
          "",
          "",
          "",
          "",
          "$$$$",
        ]),
        bv(N[2]!, "Avvecklat AB", { dereg: "2023-05-05" }),
        "",
      ].join("\r\n"),
    );
    expect(s).toMatchObject({
      format: "bolagsverket",
      encoding: "utf8",
      rows: 5,
      imported: 3,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      skipped: 1,
      deregistered: 1,
      rejects: [{ line: 4, reason: 'invalid organisationsnummer: "5560160681": wrong check digit' }],
      rejectedByReason: { "invalid organisationsnummer": 1 },
      skippedByReason: { "sole trader (personnummer)": 1 },
    });
    expect(await getCompany(store.db, N[0]!)).toMatchObject({
      name: "Åkesson Logistik AB",
      town: "Göteborg",
      postcode: "417 64",
      status: "active",
      source: "bolagsverket",
    });
    expect((await getCompany(store.db, N[1]!)).status).toBe("bankruptcy");
    const rows = await store.db.selectFrom("company_import_reject").selectAll().execute();
    expect(rows).toEqual([{ import_id: s.importId, line: 4, reason: 'invalid organisationsnummer: "5560160681": wrong check digit' }]);
  });

  it("re-import updates in place and marks companies that are gone from the register", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const first = [HEADER, ...N.slice(0, 6).map((n, i) => bv(n, `Bolag ${i} AB`))].join("\n");
    expect(await load(store, dir, "a.txt", first)).toMatchObject({ imported: 6, missing: 0 });
    const again = [
      HEADER,
      bv(N[0]!, "Bolag 0 AB"),
      bv(N[1]!, "Nytt Namn AB"),
      bv(N[2]!, "Bolag 2 AB", { dereg: "2026-04-30" }),
      bv(N[3]!, "Bolag 3 AB"),
      bv(N[4]!, "Bolag 4 AB"),
      bv(N[6]!, "Ny AB"),
    ].join("\n");
    const s = await load(store, dir, "b.txt", again, Date.parse("2026-05-08T08:00:00Z"));
    expect(s).toMatchObject({ rows: 6, imported: 1, updated: 2, unchanged: 3, missing: 1, deregistered: 1 });
    const gone = await getCompany(store.db, N[5]!);
    expect(gone.missingSince).toBe("2026-05-08T08:00:00.000Z");
    expect((await getCompany(store.db, N[1]!)).name).toBe("Nytt Namn AB");
    // Search drops the gone company from --active results and finds the new name, not the old one.
    expect((await searchCompanies(store.db, { query: "bolag 5", limit: 10, active: true })).hits).toEqual([]);
    expect((await searchCompanies(store.db, { query: "nytt namn", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[1]]);
    expect((await searchCompanies(store.db, { query: "Bolag 1", limit: 10 })).hits).toEqual([]);
    // Back in the file: no longer missing.
    await load(
      store,
      dir,
      "c.txt",
      [HEADER, ...N.slice(0, 7).map((n, i) => bv(n, `Bolag ${i} AB`))].join("\n"),
      Date.parse("2026-05-15T08:00:00Z"),
    );
    expect((await getCompany(store.db, N[5]!)).missingSince).toBeNull();
  });

  it("a file with far fewer companies than the last import does not mark half the register missing", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    await load(store, dir, "a.txt", [HEADER, ...N.map((n, i) => bv(n, `Bolag ${i} AB`))].join("\n"));
    const partial = await load(store, dir, "b.txt", [HEADER, bv(N[0]!, "Bolag 0 AB")].join("\n"));
    expect(partial.missing).toBe(0);
    expect(partial.notes[0]).toMatch(/not marking missing companies: this file has 1 companies, the previous bolagsverket import had 8/);
    const forced = await load(store, dir, "c.txt", [HEADER, bv(N[0]!, "Bolag 0 AB")].join("\n"), Date.now(), { markMissing: "always" });
    expect(forced.missing).toBe(7);
  });

  it("two imports at once: the second is refused (exit 75) and no company is marked missing", async () => {
    const dir = tempDir();
    const path = join(dir, "r.db");
    const store = await testStore(path);
    const other = await testStore(path);
    const rows = Array.from({ length: 3000 }, (_, i) => bv(withCheckDigit(String(556_100_000 + i)), `Bolag ${i} AB`));
    writeFileSync(join(dir, "a.txt"), [HEADER, ...rows].join("\n"));
    writeFileSync(join(dir, "b.txt"), [HEADER, ...rows.toReversed()].join("\n"));
    const run = async (s: Store, file: string) =>
      importCompanies(s, { source: await fileSource(join(dir, file)), clock: Date.now, batchSize: 100 });
    await run(store, "a.txt");
    const [a, b] = await Promise.allSettled([run(store, "a.txt"), run(other, "b.txt")]);
    const refused = [a, b].filter((r) => r.status === "rejected").map((r) => r.reason as LeadjobsError);
    expect(refused.map((e) => [e.exitCode, e.message])).toEqual([[75, expect.stringMatching(/^another companies import is running \(/)]]);
    const missing = await store.db.selectFrom("company").select("orgnr").where("missing_since", "is not", null).execute();
    expect(missing).toEqual([]);
  });

  it("an import killed with -9 does not block the next: its row is closed as interrupted", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    const running = (owner: string, heartbeatAt: string) =>
      store.db
        .insertInto("company_import")
        .values({
          ...NO_IMPORT_COUNTS,
          file: "old.txt",
          format: "bolagsverket",
          encoding: "utf8",
          state: "running",
          started_at: heartbeatAt,
          finished_at: null,
          error: null,
          owner,
          heartbeat_at: heartbeatAt,
        })
        .execute();
    const file = [HEADER, bv(N[0]!, "Bolag AB")].join("\n");
    // A live import on this host (this very process) blocks; one whose process is gone does not.
    await running(workerIdentity().owner, new Date().toISOString());
    await expect(load(store, dir, "a.txt", file, Date.now())).rejects.toMatchObject({ exitCode: 75 });
    await store.db
      .updateTable("company_import")
      .set({ owner: workerIdentity(process.env, deadPid).owner })
      .execute();
    expect(await load(store, dir, "a.txt", file, Date.now())).toMatchObject({ imported: 1 });
    // On another host only a row untouched for half an hour counts as dead.
    await running("elsewhere:123:abcdef12", new Date(Date.now() - 10 * 60_000).toISOString());
    await expect(load(store, dir, "b.txt", file, Date.now())).rejects.toMatchObject({ exitCode: 75 });
    expect(await load(store, dir, "b.txt", file, Date.now() + 31 * 60_000)).toMatchObject({ unchanged: 1 });
    const states = await store.db.selectFrom("company_import").select(["file", "state", "error"]).orderBy("id").execute();
    expect(states).toEqual([
      { file: "old.txt", state: "failed", error: "interrupted (its process ended without finishing the import)" },
      { file: expect.stringContaining("a.txt"), state: "completed", error: null },
      { file: "old.txt", state: "failed", error: "interrupted (its process ended without finishing the import)" },
      { file: expect.stringContaining("b.txt"), state: "completed", error: null },
    ]);
  });

  it("SCB's latin1 file adds SNI codes, reklamspärr and activity to the same companies", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    await load(
      store,
      dir,
      "bv.txt",
      [HEADER, bv(N[0]!, "Åkesson Logistik AB"), bv(N[1]!, "Konkurs AB", { pending: "|KK-AVOMFO$2026-01-01" })].join("\n"),
    );
    const cols = ["PeOrgNr", "Foretagsnamn", "FtgStat", "JurForm", "Ng1", "Ng2", "PostNr", "PostOrt", "Reklamsparrtyp", "mPeOrgNr"];
    const scb = [
      cols.join("\t"),
      [`16${N[0]}`, "Åkesson Logistik AB", "1", "49", "52290", "47910", "41764", "GÖTEBORG", "21", ""].join("\t"),
      [`16${N[1]}`, "Konkurs AB", "1", "49", "46900", "", "11122", "STOCKHOLM", "11", ""].join("\t"),
      [`16${N[3]}`, "Bara Hos SCB AB", "0", "49", "62010", "", "", "", "", ""].join("\t"),
    ].join("\r\n");
    const s = await load(store, dir, "scb_bulkfil_JE_20260601T065839_76.txt", Buffer.from(scb, "latin1"));
    expect(s).toMatchObject({ format: "scb", encoding: "latin1", imported: 1, updated: 2 });
    const a = await getCompany(store.db, N[0]!);
    expect(a).toMatchObject({ name: "Åkesson Logistik AB", reklamsparr: true, town: "Göteborg", municipality: "Göteborg" });
    expect(a.sni.map((x) => x.code)).toEqual(["52290", "47910"]);
    expect(a.sni[1]?.title).toMatch(/Postorderhandel/);
    expect((await getCompany(store.db, N[1]!)).status).toBe("bankruptcy"); // SCB's "active" never undoes a bankruptcy
    expect((await getCompany(store.db, N[3]!)).status).toBe("inactive");
    // Industry words find companies by SNI code; reklamspärr companies only when asked.
    expect((await searchCompanies(store.db, { query: "logistik", limit: 10 })).hits).toEqual([]);
    expect((await searchCompanies(store.db, { query: "logistik", limit: 10, includeReklamsparr: true })).hits.map((h) => h.orgnr)).toEqual([
      N[0],
    ]);
    expect((await searchCompanies(store.db, { query: "", sni: ["46"], limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[1]]);
    expect((await searchCompanies(store.db, { query: "grossist", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[1]]);
  });

  it("a CSV (semicolons, quotes, latin1) and a zipped bulk file", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const csv = `orgnr;name;town;sni;revenue_tkr;website;reklamsparr\n${N[0]};"Åkesson; Logistik AB";Göteborg;52290;12000;akesson.se;nej\n${N[1]};Utan Ort AB;;47910;;;\n12345;Fel AB;;;;;\n${N[2]};Rik AB;Malmö;46900;90000;;ja\n`;
    const s = await load(store, dir, "leads.csv", Buffer.from(csv, "latin1"));
    expect(s).toMatchObject({
      format: "csv",
      encoding: "latin1",
      imported: 3,
      rejected: 1,
      rejects: [{ line: 4, reason: expect.stringMatching(/has 5 digits/) }],
      missing: 0,
    });
    expect(await getCompany(store.db, N[0]!)).toMatchObject({
      name: "Åkesson; Logistik AB",
      website: "https://akesson.se",
      revenueTkr: 12000,
      municipality: "Göteborg",
      source: "csv",
    });
    const rich = await searchCompanies(store.db, { query: "", minRevenueTkr: 50_000, includeReklamsparr: true, limit: 10 });
    expect(rich.hits.map((h) => h.orgnr)).toEqual([N[2]]);
    // An empty cell keeps what is stored.
    await load(store, dir, "again.csv", `orgnr,name,revenue_tkr\n${N[0]},Åkesson Logistik AB,\n`);
    expect((await getCompany(store.db, N[0]!)).revenueTkr).toBe(12000);

    const text = Buffer.from([HEADER, bv(N[4]!, "Zippad AB")].join("\n"));
    const zip = await load(store, dir, "bolagsverket_bulkfil.zip", zipOf("bolagsverket_bulkfil.txt", text));
    expect(zip).toMatchObject({ format: "bolagsverket", imported: 1, file: "bolagsverket_bulkfil.zip:bolagsverket_bulkfil.txt" });
  });

  it("a CSV with blanks around quoted fields, rows of the wrong width rejected by line, Windows-1252 text", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const csv = `orgnr,name,town\n${N[0]}, "Bolaget, AB",Lund\n${N[1]},Extra AB,Lund,surplus\n${N[2]},Kort AB\n${N[3]},"Citat" AB,Lund\n${N[4]},Caf\xe9 \x96 Bar \x80,Ume\xe5\n`;
    const s = await load(store, dir, "leads.csv", Buffer.from(csv, "latin1"));
    expect(s).toMatchObject({ format: "csv", encoding: "latin1", imported: 2, rejected: 3 });
    expect(s.rejects).toEqual([
      { line: 3, reason: "malformed row: 4 fields, the header has 3" },
      { line: 4, reason: "malformed row: 2 fields, the header has 3" },
      { line: 5, reason: expect.stringMatching(/^malformed row: .*quote/i) },
    ]);
    expect(await getCompany(store.db, N[0]!)).toMatchObject({ name: "Bolaget, AB", town: "Lund" });
    expect(await getCompany(store.db, N[4]!)).toMatchObject({ name: "Café – Bar €", town: "Umeå" });
  });

  it("a CSV's revenue_tkr and employees are decimal digits within a sane limit; others are rejected rows", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const csv = [
      "orgnr,name,employees,revenue_tkr",
      `${N[0]},Stor AB,1e21,10`,
      `${N[1]},Binär AB,5,0b11`,
      `${N[2]},Hex AB,0x10,1`,
      `${N[3]},Jätte AB,1000001,1`,
      `${N[4]},Vanlig AB,1 200,2000000000`,
    ].join("\n");
    const s = await load(store, dir, "c.csv", csv);
    expect(s).toMatchObject({ imported: 1, rejected: 4 });
    expect(s.rejects.map((r) => r.reason)).toEqual([
      'invalid employees "1e21" (a whole number from 0 to 1000000)',
      'invalid revenue_tkr "0b11" (a whole number from 0 to 2000000000)',
      'invalid employees "0x10" (a whole number from 0 to 1000000)',
      'invalid employees "1000001" (a whole number from 0 to 1000000)',
    ]);
    expect(await getCompany(store.db, N[4]!)).toMatchObject({ employees: 1200, revenueTkr: 2_000_000_000 });
  });

  it("a ZIP64 archive is read; a zip whose entry fails its CRC-32 is refused before anything is written", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const text = Buffer.from([HEADER, bv(N[4]!, "Zippad AB"), bv(N[5]!, "Andra AB")].join("\n"));
    expect(await load(store, dir, "z64.zip", zipOf("bulk.txt", text, { zip64: true }))).toMatchObject({
      format: "bolagsverket",
      imported: 2,
      file: "z64.zip:bulk.txt",
    });
    const damaged = Buffer.from(text);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] as number) ^ 0x01;
    for (const [file, zip] of [
      ["stored.zip", zipOf("bulk.txt", damaged, { method: 0, crc: crc32(text) })],
      ["deflated.zip", zipOf("bulk.txt", damaged, { crc: crc32(text) })],
    ] as const) {
      await expect(load(store, dir, file, zip)).rejects.toThrow(
        new RegExp(`${file}: bulk.txt is corrupt \\(CRC-32 [0-9a-f]{8}, the zip says ${crc32(text).toString(16).padStart(8, "0")}\\)`),
      );
    }
    const imports = await store.db.selectFrom("company_import").select("file").execute();
    expect(imports.map((i) => i.file)).toEqual(["z64.zip:bulk.txt"]);
  });

  it("the search vector a bulk load writes for new companies is the one the trigger would write", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const texts: Array<[string, { town?: string; desc?: string; form?: string }]> = [
      ["Åkeri & Söner i Göteborg AB", { town: "GÖTEBORG", desc: "Bolaget ska bedriva e-handel, åkeri (väg)/lager m.m.", form: "AB" }],
      ["Café Ørsted Straße HB", { town: "Malmö", desc: "Kafé; ß, Æ, ĳ och 日本 – “citat” — ½ €", form: "HB" }],
      ["Ôlçèr Łódź Đurić KB", { town: "Umeå", desc: "Tjänster inom IT/fastighet samt 3D-print! <b>", form: "KB" }],
      ["ÜBER 123 Aktiebolag", { desc: "" }],
      ["Nordlogistik AB", {}],
    ];
    await load(store, dir, "a.txt", [HEADER, ...texts.map(([name, o], i) => bv(N[i]!, name, o))].join("\n"));
    if (store.dialect !== "postgres") return;
    const { rows } = await sql<{ n: number; differ: number }>`
      select count(*) as n, count(*) filter (where search is distinct from company_search_vector(c)) as differ
      from company c`.execute(store.db);
    expect(rows[0]).toEqual({ n: texts.length, differ: 0 });
  });

  it("writes by other code keep the search index in step (triggers)", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    await load(store, dir, "a.txt", [HEADER, bv(N[0]!, "Gammalt Namn AB")].join("\n"));
    await store.db.updateTable("company").set({ name: "Helt Nytt Namn AB", reklamsparr: 1 }).where("orgnr", "=", N[0]!).execute();
    expect((await searchCompanies(store.db, { query: "gammalt", limit: 5, includeReklamsparr: true })).hits).toEqual([]);
    expect((await searchCompanies(store.db, { query: "helt nytt", limit: 5 })).hits).toEqual([]);
    expect((await searchCompanies(store.db, { query: "helt nytt", limit: 5, includeReklamsparr: true })).hits).toHaveLength(1);
    await store.db.deleteFrom("company").where("orgnr", "=", N[0]!).execute();
    expect((await searchCompanies(store.db, { query: "helt nytt", limit: 5, includeReklamsparr: true })).hits).toEqual([]);
  });

  it("search ranks name and town matches before description matches, and pages", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    await load(
      store,
      dir,
      "a.txt",
      [
        HEADER,
        bv(N[0]!, "Nordisk Handel AB", { desc: "Logistik och lager i hela Sverige" }),
        bv(N[1]!, "Stockholms Logistik AB", { town: "Stockholm" }),
        bv(N[2]!, "Malmö Logistik AB", { town: "Malmö", postcode: "21111" }),
        bv(N[3]!, "Logistikpartner AB", { town: "Stockholm" }),
      ].join("\n"),
    );
    const r = await searchCompanies(store.db, { query: "logistikföretag Stockholm", limit: 10 });
    // Tiers in order; within a tier the index's order (SQLite: the rowid, PostgreSQL: the orgnr).
    expect(r.hits.map((h) => h.matched)).toEqual(["name", "name", "all"]);
    expect(
      r.hits
        .map((h) => h.orgnr)
        .slice(0, 2)
        .sort(),
    ).toEqual([N[1], N[3]].sort());
    expect(r.hits[2]?.orgnr).toBe(N[0]);
    const page1 = await searchCompanies(store.db, { query: "logistik", limit: 2 });
    const page2 = await searchCompanies(store.db, { query: "logistik", limit: 2, offset: 2 });
    expect(page1.more).toBe(true);
    expect(page2.more).toBe(false);
    expect(new Set([...page1.hits, ...page2.hits].map((h) => h.orgnr)).size).toBe(4);
    expect((await searchCompanies(store.db, { query: "logistik", town: "malmö", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[2]]);
    // Place filters compare like the index: case and diacritics aside, whole names only.
    for (const town of ["MALMÖ", "Malmo"])
      expect((await searchCompanies(store.db, { query: "", town, limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[2]]);
    expect((await searchCompanies(store.db, { query: "", location: "malmo", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[2]]);
    expect((await searchCompanies(store.db, { query: "", municipality: "MALMÖ", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[2]]);
    await load(store, dir, "b.csv", `orgnr,name,town\n${N[5]},Arlanda Frakt AB,Stockholm-Arlanda\n`);
    expect((await searchCompanies(store.db, { query: "", town: "Stockholm", limit: 10 })).hits.map((h) => h.orgnr).sort()).toEqual(
      [N[0], N[1], N[3]].sort(),
    );
    expect((await searchCompanies(store.db, { query: "", town: "stockholm arlanda", limit: 10 })).hits.map((h) => h.orgnr)).toEqual([N[5]]);
    expect((await searchCompanies(store.db, { query: N[3]!, limit: 10 })).hits.map((h) => h.matched)).toEqual(["orgnr"]);
  });
});
