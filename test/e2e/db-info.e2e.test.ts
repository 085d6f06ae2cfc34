import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKEND, onPostgres, testDatabase } from "../helpers/backend.ts";
import { ROOT, runCli, runJson } from "../helpers/cli.ts";
import { query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const MIGRATIONS = readdirSync(join(ROOT, "migrations", BACKEND))
  .filter((f) => /^\d{4}_.*\.sql$/.test(f))
  .sort()
  .map((f) => f.slice(0, -4));

describe("leadjobs db info", () => {
  it("shows the backend, its version, the migration level, the size and the database", async () => {
    const db = await createDb(join(tempDir(), "info.db"));
    const info = await runJson(["db", "info"], db);
    expect(info).toEqual({
      backend: BACKEND,
      version: expect.stringMatching(onPostgres ? /^\d+(\.\d+)?/ : /^3\.\d+\.\d+$/),
      database: testDatabase(db),
      migrations: { latest: MIGRATIONS.at(-1), applied: MIGRATIONS.length, pending: [] },
      sizeBytes: expect.any(Number),
    });
    expect(info.sizeBytes).toBeGreaterThan(0);

    const text = await runCli(["db", "info"], db);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`backend\\s+${onPostgres ? "PostgreSQL" : "SQLite"} `));
    expect(text.stdout).toMatch(new RegExp(`migrations\\s+${MIGRATIONS.length} applied, latest ${MIGRATIONS.at(-1)} \\(up to date\\)`));
    expect(text.stdout).toMatch(/size\s+\d/);
  });

  it("only reads: lists the migrations the database lacks and applies none", async () => {
    const db = await createDb(join(tempDir(), "behind.db"));
    writeSync(db, "delete from schema_migration where name = '0022_invoice_pdf_checks'"); // its columns stay
    const info = await runJson(["db", "info"], db);
    expect(info.migrations).toEqual({ latest: MIGRATIONS.at(-1), applied: MIGRATIONS.length - 1, pending: ["0022_invoice_pdf_checks"] });
    expect(query(db, "select name from schema_migration where name = '0022_invoice_pdf_checks'")).toEqual([]);
    const text = await runCli(["db", "info"], db);
    expect(text.stdout).toMatch(/\(1 newer in this leadjobs: 0022_invoice_pdf_checks\)/);
  });

  it("never creates a database: a missing one is one line and exit 2", async () => {
    const db = join(tempDir(), "missing.db");
    const r = await runCli(["db", "info"], db);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no (leadjobs )?database at/);
    expect(r.stdout).toBe("");
    const again = await runCli(["db", "info"], db); // still missing: the first did not create it
    expect(again.code).toBe(2);
  });

  it("rejects what it does not know: one line, exit 2", async () => {
    const db = await createDb(join(tempDir(), "info.db"));
    for (const args of [
      ["db", "info", "--jsn"],
      ["db", "inf"],
    ]) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
