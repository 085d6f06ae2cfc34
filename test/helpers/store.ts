import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { openStore, type SqliteStore, type Store } from "../../src/core/db/connection.ts";
import { onPostgres, testDatabase } from "./backend.ts";

/** A fresh temp directory, removed after the test. */
export function tempDir(prefix = "leadjobs-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A migrated database (a file in a temp dir, or a PostgreSQL database: helpers/backend.ts), closed after the test. */
export async function testStore(path = join(tempDir(), "test.db")): Promise<Store> {
  const store = await openStore(testDatabase(path), { busyTimeoutMs: 5000 });
  onTestFinished(() => store.close());
  return store;
}

/** A migrated SQLite database file, for tests of what only SQLite has (the raw handle, pragmas, files). */
export async function testSqliteStore(path = join(tempDir(), "test.db")): Promise<SqliteStore> {
  if (onPostgres) throw new Error("testSqliteStore() in the postgres run: mark the test sqliteOnly");
  const store = await openStore(path, { busyTimeoutMs: 5000 });
  onTestFinished(() => store.close());
  return store as SqliteStore;
}

/**
 * Creates and migrates the database a test names by `path` (helpers/backend.ts), as a command that
 * writes would (commands that only read never create one). Returns `path`: the CLI helpers map it.
 */
export async function createDb(path: string): Promise<string> {
  const store = await openStore(testDatabase(path), { busyTimeoutMs: 5000 });
  await store.close();
  return path;
}
