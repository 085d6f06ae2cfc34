// SQLite-specific: opening the database file (pragmas, a statement cache under Kysely).
import { chmodSync, closeSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { UsageError } from "../errors.ts";
import { makeDirsSync } from "../util/make-dirs.ts";
import type { OpenStoreOptions, Store } from "./connection.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import type { Database } from "./database.ts";
import { mapSqliteError, rememberDatabasePath } from "./sqlite-errors.ts";

/**
 * Opens (creating with mode 0600 if missing) and migrates the database file.
 * WAL, synchronous=NORMAL (survives a process crash), foreign keys on, a busy timeout.
 */
export async function openSqliteStore(path: string, opts: OpenStoreOptions): Promise<Store> {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (path !== ":memory:") {
      if (opts.mustExist) assertDatabaseFile(path);
      else if (!createPrivateFile(path)) await refuseEmptyFile(path);
      restoreShmMode(path);
    }
    sqlite = new BetterSqlite3(path);
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
  const handle = sqlite;
  const trace = opts.traceSql;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(handle) }),
    ...(trace ? { log: (e) => trace(e.query.sql, e.queryDurationMillis) } : {}),
  });
  return {
    db,
    dialect: "sqlite",
    sqlite: handle,
    path,
    close: async () => {
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
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

function assertDatabaseFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return; // opening it fails with the usual message
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT" && (e as NodeJS.ErrnoException).code !== "ENOTDIR") return;
    throw new UsageError(`no database at ${path}`, { code: "NOT_FOUND", hint: "check --db or LEADJOBS_DB; commands that only read never create one" });
  }
  if (size === 0) throw new UsageError(`no database at ${path} (the file is empty)`, { code: "NOT_FOUND", hint: "check --db or LEADJOBS_DB" });
}

/**
 * A zero-length file this run did not create is not a new database: it is a truncated one (a
 * failed copy, `: > file`). Another leadjobs creating it right now writes its first page within
 * milliseconds, so an empty file is given a moment before it is refused.
 */
async function refuseEmptyFile(path: string): Promise<void> {
  for (let waited = 0; statSync(path).size === 0; waited += 50) {
    if (waited >= 2000) {
      throw new UsageError(`${path} is an empty file, not a leadjobs database (a truncated copy?): restore it from a backup, or delete it to start a new database`, { code: "DB_INVALID" });
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

/**
 * Kysely prepares every query anew; parsing SQL costs more than running most of our queries.
 * Reusing prepared statements by their SQL text makes the queue's hot path several times faster.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 256): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== "prepare") {
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (sql: string) => {
        let stmt = cache.get(sql);
        if (stmt) {
          cache.delete(sql); // keep the map in least-recently-used order
        } else {
          stmt = target.prepare(sql);
          if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        }
        cache.set(sql, stmt);
        return stmt;
      };
    },
  });
}
