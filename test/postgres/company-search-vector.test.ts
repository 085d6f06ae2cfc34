// The search vector of a company (migrations/postgres/0017: each word prefixed with its field's
// letter, no weights) is written by several paths: the first import's insert and a later
// import's insert (words made by bulk-load.postgres.ts where it can, else by the database), the
// insert and update triggers (company_search_vector), and `db copy` (the insert trigger). Each
// must store the vector company_search_vector gives, so a company is found by the same searches
// whichever way it came in.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importCompanies } from "../../src/core/companies/import.ts";
import { searchCompanies, type CompanySearch } from "../../src/core/companies/search.ts";
import { fileSource } from "../../src/core/companies/source.ts";
import { openStore, type PostgresStore, type SqliteStore, type Store } from "../../src/core/db/connection.ts";
import { copySqliteToPostgres } from "../../src/core/db/copy.ts";
import { BOLAGSVERKET_HEADER, runningOrgnr } from "../helpers/bolagsverket.ts";
import { onPostgres } from "../helpers/backend.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const orgnr = (i: number) => runningOrgnr(3_000_000, i);

/** Names and descriptions the loader folds itself, and some (Ω, ß) it leaves to the database. */
const COMPANIES: Array<[name: string, description: string, town: string]> = [
  ["Fjällräv Bygg", "Bolaget ska bedriva bygg- och VVS-arbeten", "GÖTEBORG"],
  ["Ωmega Bygg", "Byggnation av kök, e-handel med 3D-skrivare", "UMEÅ"],
  ["Straße Logistik", "Lager och transport", "MALMÖ"],
  ["Göteborgs Trä", "Snickeri i Göteborg", "LUND"],
];

const line = (i: number, [name, description, town]: [string, string, string]) =>
  `"${orgnr(i)}$ORGNR-IDORG";"";"SE-LAND";"${name} ${i}$FORETAGSNAMN-ORGNAM$2015-01-01";"AB-ORGFO";"";"";"";"2015-01-01";"${description}";"Storgatan 1$$${town}$90325$SE-LAND"`;

/** A Bolagsverket file of four companies numbered from `from` (company i is COMPANIES[i % 4]), the description of `changed` (a number) replaced. */
function file(dir: string, from: number, changed?: number): string {
  const path = join(dir, `bulk-${from}-${changed ?? "x"}.txt`);
  const lines = [0, 1, 2, 3].map((k) => {
    const c = COMPANIES[(from + k) % COMPANIES.length] as [string, string, string];
    return line(from + k, from + k === changed ? [c[0], "Nu e-handel med kläder", c[2]] : c);
  });
  writeFileSync(path, [BOLAGSVERKET_HEADER, ...lines].join("\n"));
  return path;
}

const SEARCHES: CompanySearch[] = [
  { query: "bygg", limit: null },
  { query: "bygg", town: "Göteborg", limit: null },
  { query: "ωmega", limit: null },
  { query: "straße logistik", limit: null },
  { query: "e-handel", limit: null },
  { query: "3d", limit: null },
  { query: "göteborg", limit: null },
  { query: "kläder", legalForm: "AB", active: true, limit: null },
  { query: "", sni: ["47"], limit: null },
  { query: "trä", municipality: "Lund", limit: null },
];

const TIERS = ["orgnr", "name", "all"];

/**
 * Every search's hits (orgnr and tier), total and paging flags. Within a tier a search lists
 * companies in the table's physical order, which differs between the ways in: the hits of a
 * tier are compared as a set (sorted), the tiers in their order.
 */
async function answers(store: Store) {
  const out = [];
  for (const s of SEARCHES) {
    const r = await searchCompanies(store.db, s);
    const tiers = r.hits.map((h) => TIERS.indexOf(h.matched));
    expect(tiers).toEqual([...tiers].sort());
    const hits = r.hits
      .map((h) => `${h.orgnr} ${h.matched}`)
      .sort((a, b) => TIERS.indexOf(a.split(" ")[1] ?? "") - TIERS.indexOf(b.split(" ")[1] ?? "") || a.localeCompare(b));
    out.push({ s, hits, total: r.total, more: r.more });
  }
  return out;
}

/** Companies whose stored vector is not the one company_search_vector makes now. */
async function stale(store: Store): Promise<string[]> {
  const { rows } = await sql<{ orgnr: string }>`
    select orgnr from company where search is distinct from company_search_vector(company) order by orgnr`.execute(store.db);
  return rows.map((r) => r.orgnr);
}

/** The register through every path: a first import, a later import with a change, a row written directly, an SNI update. */
async function fill(store: Store, dir: string): Promise<void> {
  const load = async (path: string) => importCompanies(store, { source: await fileSource(path), clock: () => Date.now(), batchSize: 3 });
  expect((await load(file(dir, 0))).imported).toBe(4);
  const later = await load(file(dir, 2, 3)); // 2 and 3 again (3 with a new description), 4 and 5 new
  expect({ imported: later.imported, updated: later.updated }).toEqual({ imported: 2, updated: 1 });
  await store.db
    .insertInto("company")
    .values({
      orgnr: orgnr(10),
      name: "Åkesson Bygg & Ωmega HB",
      legal_form: "HB",
      status: "active",
      sni_codes: '["47910"]',
      reklamsparr: 0,
      town: "Göteborg",
      municipality: "Göteborg",
      description: "E-handel med kläder",
      source: "csv",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();
  await store.db.updateTable("company").set({ sni_codes: '["47710"]' }).where("orgnr", "=", orgnr(1)).execute();
}

describe.skipIf(!onPostgres)("the company search vector on PostgreSQL", () => {
  it("is the same whether a company came by the first import, a later one, the triggers or db copy", async () => {
    const dir = tempDir();
    const imported = await testStore(join(dir, "imported.db"));
    await fill(imported, dir);
    expect(await stale(imported)).toEqual([]);
    const found = await answers(imported);
    // Not vacuous: every search finds something, the one-letter word of e-handel and Ω included.
    for (const a of found) expect({ s: a.s, found: a.hits.length > 0 }).toEqual({ s: a.s, found: true });
    expect(found.find((a) => a.s.query === "ωmega")?.hits).toEqual([`${orgnr(1)} name`, `${orgnr(5)} name`, `${orgnr(10)} name`]);

    // The same register written on SQLite and copied: every row through the insert trigger.
    const sqlite = (await openStore(join(dir, "source.db"), { busyTimeoutMs: 5000 })) as SqliteStore;
    try {
      await fill(sqlite, dir);
      const copied = (await testStore(join(dir, "copied.db"))) as PostgresStore;
      await copySqliteToPostgres(sqlite, copied);
      expect(await stale(copied)).toEqual([]);
      expect(await answers(copied)).toEqual(found);
    } finally {
      await sqlite.close();
    }
  });

  it("has no weights or positions: each word carries its field's letter", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    await fill(store, dir);
    const { rows } = await sql<{ search: string }>`select search::text as search from company where orgnr = ${orgnr(10)}`.execute(store.db);
    expect(rows[0]?.search).toBe(
      "'aakesson' 'abygg' 'ahb' 'aωmega' 'bgoteborg' 'ce' 'chandel' 'cklader' 'cmed' 'd47910' 'dformhb' 'dstatusactive'",
    );
  });
});
