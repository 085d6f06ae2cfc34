import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { openStore, type Store } from "../../src/core/db/connection.ts";

/** A fresh temp directory, removed after the test. */
export function tempDir(prefix = "leadjobs-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A migrated database file in a temp dir, closed after the test. */
export async function testStore(path = join(tempDir(), "test.db")): Promise<Store> {
  const store = await openStore(path, { busyTimeoutMs: 5000 });
  onTestFinished(() => store.close());
  return store;
}

/** Creates and migrates a database file, as a command that writes would (commands that only read never create one). */
export async function createDb(path: string): Promise<string> {
  const store = await openStore(path, { busyTimeoutMs: 5000 });
  await store.close();
  return path;
}
