// The first import into an empty register on PostgreSQL is one transaction that drops the search
// vector's GIN indexes and builds them at its end (src/core/companies/bulk-load.postgres.ts): a
// failed or killed import must leave the table with both indexes, and search must work after.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importCompanies } from "../../src/core/companies/import.ts";
import { searchCompanies } from "../../src/core/companies/search.ts";
import { fileSource, type ImportSource } from "../../src/core/companies/source.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { finished, spawnCli } from "../helpers/cli.ts";
import { createDb, tempDir, testStore } from "../helpers/store.ts";
import { openStore } from "../../src/core/db/connection.ts";

const HEADER =
  "organisationsidentitet;namnskyddslopnummer;registreringsland;organisationsnamn;organisationsform;avregistreringsdatum;avregistreringsorsak;pagandeAvvecklingsEllerOmstruktureringsforfarande;registreringsdatum;verksamhetsbeskrivning;postadress";

/** Valid organisationsnummer (Luhn, third digit >= 2), from a running number. */
function orgnr(i: number): string {
  const body = `55${2_000_000 + i}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let d = Number(body[k]) * (k % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const line = (i: number) =>
  `"${orgnr(i)}$ORGNR-IDORG";"";"SE-LAND";"Fjällräv Logistik ${i}$FORETAGSNAMN-ORGNAM$2015-01-01";"AB-ORGFO";"";"";"";"2015-01-01";"Bolaget ska bedriva lager";"Storgatan 1$$UMEÅ$90325$SE-LAND"`;
const file = (from: number, to: number) => [HEADER, ...Array.from({ length: to - from }, (_, k) => line(from + k))].join("\n");

async function ginIndexes(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select indexname as name from pg_indexes
    where schemaname = current_schema() and tablename = 'company' and indexdef like '% USING gin %' order by 1`.execute(store.db);
  return rows.map((r) => r.name);
}

const companies = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom("company")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A source that yields `text` and then fails, as a file on a disk that goes away would. */
function failingSource(text: string): ImportSource {
  const bytes = Buffer.from(text);
  return {
    name: "failing.txt",
    size: null,
    sample: async (n) => bytes.subarray(0, n),
    open: () =>
      Readable.from(
        (async function* () {
          yield bytes;
          throw new Error("disk went away");
        })(),
      ),
  };
}

describe.skipIf(!onPostgres)("the first company import into an empty register (PostgreSQL)", () => {
  it("builds the search indexes at its end: both exist after it and search finds its companies", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const path = join(dir, "bulk.txt");
    writeFileSync(path, file(0, 30));
    const s = await importCompanies(store, { source: await fileSource(path), clock: () => Date.now(), batchSize: 7 });
    expect(s.imported).toBe(30);
    expect(await ginIndexes(store)).toEqual(["company_search", "company_search_name"]);
    const r = await searchCompanies(store.db, { query: "fjällräv", town: "Umeå", limit: 5 });
    expect(r.hits.map((h) => h.orgnr)).toEqual([0, 1, 2, 3, 4].map(orgnr));
    expect(r.total).toBe(30);
  });

  it("a failed first import rolls back to the empty table with both indexes; the next import is searchable", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    // 40 rows in batches of 5 are written before the source fails.
    await expect(
      importCompanies(store, { source: failingSource(`${file(0, 40)}\n`), clock: () => Date.now(), batchSize: 5 }),
    ).rejects.toThrow("disk went away");
    expect(await companies(store)).toBe(0);
    expect(await ginIndexes(store)).toEqual(["company_search", "company_search_name"]);
    const failed = await store.db.selectFrom("company_import").select(["state", "imported", "error"]).executeTakeFirstOrThrow();
    expect(failed).toEqual({ state: "failed", imported: 0, error: "disk went away" });

    const path = join(dir, "bulk.txt");
    writeFileSync(path, file(0, 12));
    expect((await importCompanies(store, { source: await fileSource(path), clock: () => Date.now() })).imported).toBe(12);
    expect((await searchCompanies(store.db, { query: "logistik 11", limit: 5 })).hits.map((h) => h.orgnr)).toEqual([orgnr(11)]);
  });

  it("a later import into a register that has companies leaves the indexes in place", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    const path = join(dir, "bulk.txt");
    writeFileSync(path, file(0, 10));
    await importCompanies(store, { source: await fileSource(path), clock: () => Date.now() });
    await expect(
      importCompanies(store, { source: failingSource(`${file(10, 30)}\n`), clock: () => Date.now(), batchSize: 5 }),
    ).rejects.toThrow("disk went away");
    // Batch by batch: what the failed import wrote before the failure stays, indexed.
    expect(await companies(store)).toBe(30);
    expect(await ginIndexes(store)).toEqual(["company_search", "company_search_name"]);
    expect((await searchCompanies(store.db, { query: "logistik 25", limit: 5 })).hits.map((h) => h.orgnr)).toEqual([orgnr(25)]);
  });

  it("kill -9 of `companies import` in the middle of a first import: the table is empty with both indexes", async () => {
    const dir = tempDir();
    const db = await createDb(join(dir, "r.db"));
    const path = join(dir, "bulk.txt");
    writeFileSync(path, file(0, 60_000));
    const store = await openStore(testDatabase(db), { busyTimeoutMs: 5000 });
    try {
      const child = spawnCli(["companies", "import", path], db);
      const done = finished(child);
      // The import holds the table's exclusive lock from its start (after the indexes were dropped) to its commit.
      let locked = false;
      for (let i = 0; i < 600 && !locked; i++) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
          join pg_namespace s on s.oid = c.relnamespace
          where c.relname = 'company' and s.nspname = current_schema() and l.mode = 'AccessExclusiveLock' and l.granted`.execute(store.db);
        locked = (rows[0]?.n ?? 0) > 0;
        if (!locked) await new Promise((r) => setTimeout(r, 50));
      }
      expect(locked).toBe(true);
      await new Promise((r) => setTimeout(r, 500)); // some batches in
      child.kill("SIGKILL");
      expect((await done).signal).toBe("SIGKILL");
      // The server ends the dead connection's transaction; until then the table stays locked.
      expect(await companies(store)).toBe(0);
      expect(await ginIndexes(store)).toEqual(["company_search", "company_search_name"]);
      writeFileSync(path, file(0, 12));
      expect((await importCompanies(store, { source: await fileSource(path), clock: () => Date.now() })).imported).toBe(12);
      expect((await searchCompanies(store.db, { query: "fjällräv 7", limit: 5 })).hits.map((h) => h.orgnr)).toEqual([orgnr(7)]);
    } finally {
      await store.close();
    }
  });
});
