import { statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runJson } from "../helpers/cli.ts";
import { createDb, tempDir } from "../helpers/store.ts";

describe("leadjobs db info on SQLite", () => {
  it("counts the write-ahead log in the size", async () => {
    const db = await createDb(join(tempDir(), "info.db"));
    // Another connection open (a worker, say): the CLI's close is not the last, so it leaves the -wal as it is.
    const other = new BetterSqlite3(db);
    other.prepare("select count(*) from job").get();
    await runJson(["jobs", "add", "noop"], db); // something in the -wal
    const info = await runJson(["db", "info"], db);
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    expect(size(`${db}-wal`)).toBeGreaterThan(0);
    expect(info.sizeBytes).toBe(size(db) + size(`${db}-wal`));
    other.close();
  });
});
