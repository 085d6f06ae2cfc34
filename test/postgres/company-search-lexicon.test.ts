// On PostgreSQL a search gives GIN the whole words a prefix stands for, from the list of every
// word of the register (company_search_lexicon, migrations/postgres/0019), kept by triggers. A
// word missing from the list would silently hide its companies: `bygg` would stand for `abygg`
// alone and miss "Byggnadsvård". Each way a company is written must add its words.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importCompanies } from "../../src/core/companies/import.ts";
import { searchCompanies } from "../../src/core/companies/search.ts";
import { fileSource } from "../../src/core/companies/source.ts";
import { openStore, type PostgresStore, type SqliteStore, type Store } from "../../src/core/db/connection.ts";
import { copySqliteToPostgres } from "../../src/core/db/copy.ts";
import { onPostgres } from "../helpers/backend.ts";
import { BOLAGSVERKET_HEADER, runningOrgnr } from "../helpers/bolagsverket.ts";
import { tempDir, testStore } from "../helpers/store.ts";

const orgnr = (i: number) => runningOrgnr(4_000_000, i);

const line = (i: number, name: string, description: string) =>
  `"${orgnr(i)}$ORGNR-IDORG";"";"SE-LAND";"${name}$FORETAGSNAMN-ORGNAM$2015-01-01";"AB-ORGFO";"";"";"";"2015-01-01";"${description}";"Storgatan 1$$UMEÅ$90325$SE-LAND"`;

async function importLines(store: Store, dir: string, name: string, lines: string[]): Promise<void> {
  const path = join(dir, `${name}.txt`);
  writeFileSync(path, [BOLAGSVERKET_HEADER, ...lines].join("\n"));
  await importCompanies(store, { source: await fileSource(path), clock: () => Date.now(), batchSize: 2 });
}

const insertCompany = (store: Store, i: number, name: string, description: string | null = null) =>
  store.db
    .insertInto("company")
    .values({
      orgnr: orgnr(i),
      name,
      legal_form: "AB",
      status: "active",
      sni_codes: "[]",
      reklamsparr: 0,
      description,
      source: "csv",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();

const found = async (store: Store, query: string) =>
  (await searchCompanies(store.db, { query, limit: null })).hits.map((h) => h.orgnr).sort();

describe.skipIf(!onPostgres)("the word list behind prefix searches on PostgreSQL", () => {
  it("has every word of every company, whichever way it was written, and a search finds them all", async () => {
    const dir = tempDir();
    const store = await testStore(join(dir, "r.db"));
    // The first import (one transaction, its own vectors), then a later one (batches).
    await importLines(store, dir, "first", [line(1, "Umeå Bygg AB", "Bygg"), line(2, "Norr Måleri AB", "Måleri")]);
    await importLines(store, dir, "later", [line(3, "Byggnadsvård i Umeå AB", "Renovering")]);
    await insertCompany(store, 4, "Byggkompaniet AB");
    await insertCompany(store, 5, "Snickerier AB");
    await store.db.updateTable("company").set({ description: "Byggservice och takläggning" }).where("orgnr", "=", orgnr(5)).execute();

    const result = await searchCompanies(store.db, { query: "bygg", limit: null });
    // Given whole: the name tier names each word of a name that starts with bygg (no town does:
    // that prefix stays one, and finds nothing).
    expect(result.match[0]).toContain("('abygg' | 'abyggkompaniet' | 'abyggnadsvard')");
    expect(result.match[0]).not.toContain("'abygg':*");
    expect(result.hits.map((h) => h.orgnr).sort()).toEqual([orgnr(1), orgnr(3), orgnr(4), orgnr(5)]);
    expect(await found(store, "takläggning")).toEqual([orgnr(5)]);

    // The same register copied from SQLite: every row through `db copy`'s inserts.
    const sqlite = (await openStore(join(dir, "source.db"), { busyTimeoutMs: 5000 })) as SqliteStore;
    try {
      await importLines(sqlite, dir, "first", [line(1, "Umeå Bygg AB", "Bygg")]);
      await insertCompany(sqlite, 6, "Byggmästarna AB");
      const copied = (await testStore(join(dir, "copied.db"))) as PostgresStore;
      await copySqliteToPostgres(sqlite, copied);
      expect(await found(copied, "bygg")).toEqual([orgnr(1), orgnr(6)]);
    } finally {
      await sqlite.close();
    }
  });

  it("leaves a prefix of many words a prefix", async () => {
    const store = await testStore(join(tempDir(), "r.db"));
    for (let i = 0; i < 70; i++) await insertCompany(store, 100 + i, `Zqx${String(i).padStart(3, "0")} AB`);
    const many = await searchCompanies(store.db, { query: "zqx", limit: null });
    expect(many.match[0]).toContain("'azqx':*");
    expect(many.hits).toHaveLength(70);
    const few = await searchCompanies(store.db, { query: "zqx01", limit: null });
    expect(few.match[0]).toContain("'azqx010' | 'azqx011'");
    expect(few.hits).toHaveLength(10);
  });
});
