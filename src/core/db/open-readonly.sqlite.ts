// SQLite-specific: reading a database on a read-only file system (a backup disk mounted ro, a
// file system the kernel remounted ro after errors). A WAL database needs its -shm file, which
// cannot be created there, so SQLite refuses to open it at all; a command that only reads opens
// it immutable instead: no locks, no -shm. That is sound only because nothing can change a file
// on a read-only file system, and only while its -wal holds no commits the file lacks.
import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { UsageError } from "../errors.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import { openSqlite } from "./open.sqlite.ts";
import { newSqlite } from "./sqlite-driver.ts";
import { mapSqliteError, rememberDatabasePath } from "./sqlite-errors.ts";

/** Whether the folder of `path` is on a file system mounted read-only. */
export function onReadOnlyFileSystem(path: string): boolean {
  if (path === ":memory:") return false;
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EROFS";
  }
}

/**
 * Opens the database to read it; its migrations must be up to date (nothing can be applied). A
 * -wal with commits is read as SQLite reads it anywhere, which it can on a read-only file system
 * while the -shm its last writer left is there (a writer killed before it could close); without
 * a -wal the file is opened immutable.
 */
export function openReadOnlySqlite(
  path: string,
  opts: { busyTimeoutMs: number; migrationsDir?: string | undefined },
): BetterSqlite3.Database {
  if (walBytes(path) > 0) {
    try {
      return openSqlite(path, opts);
    } catch {
      // no -shm to read it through: said below
    }
    throw new UsageError(
      `cannot read database ${path}: it is on a read-only file system and ${path}-wal holds changes not yet in the file (it was not closed cleanly before the file system became read-only)`,
      { code: "DB_INVALID", hint: "mount it read-write once and run any leadjobs command; read-only after that works" },
    );
  }
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = newSqlite(path, { immutable: true });
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
    sqlite.prepare("select count(*) from sqlite_master").get(); // NOTADB / CORRUPT surface here
    sqlite.pragma("foreign_keys = on");
    // Up to date: it only reads. Migrations to apply: a write, refused as one on a read-only file system.
    migrate(sqlite, readMigrations(opts.migrationsDir ?? findMigrationsDir()), path);
  } catch (e) {
    sqlite?.close();
    throw mapSqliteError(e, path);
  }
  rememberDatabasePath(path);
  return sqlite;
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
