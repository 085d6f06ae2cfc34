// A search on PostgreSQL raises work_mem for its own queries (search.postgres.ts). Run inside a
// caller's transaction, it must leave the caller's setting as it found it, for the rest of that
// transaction and, for a session setting, after it.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { searchCompanies } from "../../src/core/companies/search.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { testStore } from "../helpers/store.ts";

const workMem = async (db: Db) =>
  (await sql<{ setting: string }>`select current_setting('work_mem') as setting`.execute(db)).rows[0]?.setting;

describe("company search inside a caller's transaction", () => {
  it("keeps the caller's work_mem, local to the transaction or for the session", async () => {
    const { db } = await testStore();
    await db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '8MB'`.execute(trx);
      await searchCompanies(trx, { query: "bygg göteborg", limit: 10 });
      expect(await workMem(trx)).toBe("8MB");
    });
    await db.connection().execute(async (conn) => {
      await sql`set work_mem = '12MB'`.execute(conn);
      await conn.transaction().execute((trx) => searchCompanies(trx, { query: "logistik", limit: 10 }));
      expect(await workMem(conn)).toBe("12MB");
      await sql`reset work_mem`.execute(conn);
    });
  });
});
