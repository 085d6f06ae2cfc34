// The first import into an empty register on PostgreSQL is one transaction that drops the search
// vector's GIN indexes and builds them at its end (src/core/companies/bulk-load.postgres.ts): a
// failed or killed import must leave the table with its index, and search must work after.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importCompanies } from "../../src/core/companies/import.ts";
import { searchCompanies } from "../../src/core/companies/search.ts";
import { fileSource, type ImportSource } from "../../src/core/companies/source.ts";
import type { Store } from "../../src/core/db/connection.ts";
import { BOLAGSVERKET_HEADER, runningOrgnr } from "../helpers/bolagsverket.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { finished, spawnCli } from "../helpers/cli.ts";
import { createDb, tempDir, testStore } from "../helpers/store.ts";
import { openStore } from "../../src/core/db/connection.ts";

const orgnr = (i: number) => runningOrgnr(2_000_000, i);

const line = (i: number) =>
  `"${orgnr(i)}$ORGNR-IDORG";"";"SE-LAND";"Fjällräv Logistik ${i}$FORETAGSNAMN-ORGNAM$2015-01-01";"AB-ORGFO";"";"";"";"2015-01-01";"Bolaget ska bedriva lager";"Storgatan 1$$UMEÅ$90325$SE-LAND"`;
const file = (from: number, to: number) => [BOLAGSVERKET_HEADER, ...Array.from({ length: to - from }, (_, k) => line(from + k))].join("\n");

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

/** Imports companies from..to-1 from a file in `dir`. */
async function importFile(store: Store, dir: string, from: number, to: number) {
  const path = join(dir, `bulk-${from}-${to}.txt`);
  writeFileSync(path, file(from, to));
  return importCompanies(store, { source: await fileSource(path), clock: () => Date.now(), batchSize: 7 });
}

/** An import of companies from..to-1, in batches of 5, whose source fails after the last line. */
async function failedImport(store: Store, from: number, to: number): Promise<void> {
  await expect(
    importCompanies(store, { source: failingSource(`${file(from, to)}\n`), clock: () => Date.now(), batchSize: 5 }),
  ).rejects.toThrow("disk went away");
}

const found = async (store: Store, query: string) => (await searchCompanies(store.db, { query, limit: 5 })).hits.map((h) => h.orgnr);

describe.skipIf(!onPostgres)("the first company import into an empty register (PostgreSQL)", () => {
  it("builds the search index at its end: it exists after it and search finds its companies", async () => {
    const store = await testStore(join(tempDir(), "r.db"));
    expect((await importFile(store, tempDir(), 0, 30)).imported).toBe(30);
    expect(await ginIndexes(store)).toEqual(["company_search"]);
    const r = await searchCompanies(store.db, { query: "fjällräv", town: "Umeå", limit: 5 });
    expect(r.hits.map((h) => h.orgnr)).toEqual([0, 1, 2, 3, 4].map(orgnr));
    expect(r.total).toBe(30);
  });

  it("a failed first import rolls back to the empty table with its index; the next import is searchable", async () => {
    const store = await testStore(join(tempDir(), "r.db"));
    await failedImport(store, 0, 40); // 8 batches written before the source fails
    expect(await companies(store)).toBe(0);
    expect(await ginIndexes(store)).toEqual(["company_search"]);
    const failed = await store.db.selectFrom("company_import").select(["state", "imported", "error"]).executeTakeFirstOrThrow();
    expect(failed).toEqual({ state: "failed", imported: 0, error: "disk went away" });
    expect((await importFile(store, tempDir(), 0, 12)).imported).toBe(12);
    expect(await found(store, "logistik 11")).toEqual([orgnr(11)]);
  });

  it("a later import into a register that has companies leaves the indexes in place", async () => {
    const store = await testStore(join(tempDir(), "r.db"));
    await importFile(store, tempDir(), 0, 10);
    await failedImport(store, 10, 30);
    // Batch by batch: what the failed import wrote before the failure stays, indexed.
    expect(await companies(store)).toBe(30);
    expect(await ginIndexes(store)).toEqual(["company_search"]);
    expect(await found(store, "logistik 25")).toEqual([orgnr(25)]);
  });

  it("kill -9 of `companies import` in the middle of a first import: the table is empty with its index", async () => {
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
      expect(await ginIndexes(store)).toEqual(["company_search"]);
      expect((await importFile(store, dir, 0, 12)).imported).toBe(12);
      expect(await found(store, "fjällräv 7")).toEqual([orgnr(7)]);
    } finally {
      await store.close();
    }
  });
});
