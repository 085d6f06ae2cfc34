// SQLite-specific: opening the database file with the raw better-sqlite3 handle (pragmas and the
// migrations check), without Kysely: connection.sqlite.ts wraps it, and the idle fast path
// (src/fast.ts) uses it alone, so a cron start that finds nothing to do never loads Kysely.
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { UsageError } from "../errors.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import { mapSqliteError, rememberDatabasePath } from "./sqlite-errors.ts";

// require(), not import: an ES import of this CommonJS package runs Node's CommonJS export
// scanner over it on every start; and it loads only when a database is opened.
const requireModule = createRequire(import.meta.url);

export interface OpenSqliteOptions {
  busyTimeoutMs: number;
  migrationsDir?: string | undefined;
}

/**
 * Opens (creating with mode 0600 if missing) and migrates the database file.
 * WAL, synchronous=NORMAL (survives a process crash), foreign keys on, a busy timeout.
 */
export function openSqlite(path: string, opts: OpenSqliteOptions): BetterSqlite3.Database {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (path !== ":memory:") createPrivateFile(path);
    const Sqlite = requireModule("better-sqlite3") as typeof BetterSqlite3;
    sqlite = new Sqlite(path);
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

/** mkdir -p with mode 0700. Not `recursive: true`: Node 20 spins forever on some paths (e.g. under /proc). */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir, { mode: 0o700 });
}

function createPrivateFile(path: string): void {
  try {
    makeDirs(dirname(path));
    closeSync(openSync(path, "wx", 0o600)); // SQLite gives -wal and -shm the same mode
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new UsageError(`cannot create database ${path}: ${(e as Error).message}`, { code: "DB_INVALID", cause: e });
  }
}
