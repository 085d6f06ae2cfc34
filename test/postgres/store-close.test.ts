import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore, type PostgresStore } from "../../src/core/db/connection.ts";
import { onPostgres, testDatabase } from "../helpers/backend.ts";
import { tempDir } from "../helpers/store.ts";

describe.skipIf(!onPostgres)("closing a PostgreSQL store", () => {
  it("leaves no connection to the server, also when no query ran through Kysely", async () => {
    const url = testDatabase(join(tempDir(), "close.db"));
    const store = (await openStore(url, { busyTimeoutMs: 5000 })) as PostgresStore;
    expect(store.pool.totalCount).toBe(1); // the migration check's client, idle
    await store.close();
    expect(store.pool.ended).toBe(true);
    expect(store.pool.totalCount).toBe(0);

    const used = (await openStore(url, { busyTimeoutMs: 5000 })) as PostgresStore;
    await used.db.selectFrom("job").select("id").execute();
    await used.close();
    expect(used.pool.totalCount).toBe(0);
  });
});
