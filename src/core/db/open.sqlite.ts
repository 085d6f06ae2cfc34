// SQLite-specific: opening the database file with the raw better-sqlite3 handle (pragmas and the
// migrations check), without Kysely: connection.sqlite.ts wraps it, and the idle fast path
// (src/fast.ts) uses it alone, so a cron start that finds nothing to do never loads Kysely.
import { chmodSync, closeSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { UsageError } from "../errors.ts";
import { makeDirsSync } from "../util/make-dirs.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import { newSqlite } from "./sqlite-driver.ts";
import { mapSqliteError, rememberDatabasePath } from "./sqlite-errors.ts";

export interface OpenSqliteOptions {
  busyTimeoutMs: number;
  migrationsDir?: string | undefined;
}

/**
 * Makes the file ready to open: a command that only reads (`mustExist`) never creates one; a new
 * file is created with mode 0600 (in a 0700 directory); an empty file this run did not create is
 * refused; a `-shm` left read-only is made writable again.
 */
export async function prepareDatabaseFile(path: string, o: { mustExist?: boolean | undefined }): Promise<void> {
  if (path === ":memory:") return;
  if (o.mustExist) assertDatabaseFile(path);
  if (o.mustExist || !createPrivateFile(path)) await refuseEmptyFile(path);
  restoreShmMode(path);
}

/**
 * Opens and migrates the database file (prepareDatabaseFile first).
 * WAL, synchronous=NORMAL (survives a process crash), foreign keys on, a busy timeout.
 */
export function openSqlite(path: string, opts: OpenSqliteOptions): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = newSqlite(path);
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
    sqlite.prepare("select count(*) from sqlite_master").get(); // NOTADB / CORRUPT surface here
    if (path !== ":memory:" && sqlite.pragma("journal_mode", { simple: true }) !== "wal") {
      sqlite.pragma("journal_mode = wal");
    }
    sqlite.pragma("synchronous = normal");
    sqlite.pragma("foreign_keys = on");
    migrate(sqlite, readMigrations(opts.migrationsDir ?? findMigrationsDir()), path);
  } catch (e) {
    sqlite?.close();
    throw mapSqliteError(e, path);
  }
  rememberDatabasePath(path);
  return sqlite;
}

/** Creates the file (true) unless it exists (false). */
function createPrivateFile(path: string): boolean {
  try {
    makeDirsSync(dirname(path), 0o700);
    closeSync(openSync(path, "wx", 0o600)); // SQLite gives -wal and -shm the same mode
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UsageError(`cannot create database ${path}: ${(e as Error).message}`, { code: "DB_INVALID", cause: e });
  }
}

/** A command that only reads never creates a database: a missing file is exit 2 (an empty one is refused after). */
function assertDatabaseFile(path: string): void {
  try {
    statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "ENOTDIR") return;
    throw new UsageError(`no database at ${path}`, {
      code: "NOT_FOUND",
      hint: "check --db or LEADJOBS_DB; commands that only read never create one",
    });
  }
}

/**
 * A zero-length file this run did not create is not a new database: it is a truncated one (a
 * failed copy, `: > file`). Another leadjobs creating it right now writes its first page within
 * milliseconds, so an empty file is given a moment before it is refused.
 */
async function refuseEmptyFile(path: string): Promise<void> {
  for (let waited = 0; statSync(path).size === 0; waited += 50) {
    if (waited >= 2000) {
      throw new UsageError(
        `${path} is an empty file, not a leadjobs database (a truncated copy?): restore it from a backup, or delete it to start a new database`,
        { code: "DB_INVALID" },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * SQLite creates `-shm` with the database file's mode, so a database that was read-only once
 * (0444) leaves a read-only `-shm` that keeps it read-only after `chmod 0600`. Give the `-shm`
 * the owner's write permission back when the database file itself is writable.
 */
function restoreShmMode(path: string): void {
  try {
    const db = statSync(path);
    const shm = statSync(`${path}-shm`);
    if ((db.mode & 0o200) !== 0 && (shm.mode & 0o200) === 0 && shm.uid === db.uid) chmodSync(`${path}-shm`, db.mode & 0o777);
  } catch {
    // no -shm (or not ours to change): SQLite reports what it cannot open
  }
}
