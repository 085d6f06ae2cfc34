// The SQLite-only part of the company import: merging the FTS5 index (optimizeIndex).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optimizeIndex } from "../../src/core/companies/bulk-load.sqlite.ts";
import { importCompanies } from "../../src/core/companies/import.ts";
import { searchCompanies } from "../../src/core/companies/search.ts";
import { fileSource } from "../../src/core/companies/source.ts";
import { tempDir, testSqliteStore } from "../helpers/store.ts";

describe("companies import on SQLite", () => {
  it("merging the FTS5 index keeps what the index says", async () => {
    const dir = tempDir();
    const store = await testSqliteStore(join(dir, "r.db"));
    const path = join(dir, "a.csv");
    writeFileSync(path, "orgnr,name,town\n5560160680,Gammalt Namn AB,Lund\n");
    await importCompanies(store, { source: await fileSource(path), clock: () => Date.parse("2026-05-01T08:00:00Z") });
    await store.db.updateTable("company").set({ name: "Helt Nytt Namn AB", reklamsparr: 1 }).where("orgnr", "=", "5560160680").execute();
    expect(optimizeIndex(store.sqlite, 1)).toBeGreaterThanOrEqual(1);
    expect((await searchCompanies(store.db, { query: "gammalt", limit: 5, includeReklamsparr: true })).hits).toEqual([]);
    expect((await searchCompanies(store.db, { query: "helt nytt", limit: 5, includeReklamsparr: true })).hits).toHaveLength(1);
  });
});
