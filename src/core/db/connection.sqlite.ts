// SQLite-specific: opening the database file (pragmas, a statement cache under Kysely).
import { closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { UsageError } from "../errors.ts";
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
    if (path !== ":memory:" && opts.mustExist) assertDatabaseFile(path);
    else if (path !== ":memory:") createPrivateFile(path);
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

/** mkdir -p with mode 0700. Not `recursive: true`: Node 20 spins forever on some paths (e.g. under /proc). */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir, { mode: 0o700 });
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

function createPrivateFile(path: string): void {
  try {
    makeDirs(dirname(path));
    closeSync(openSync(path, "wx", 0o600)); // SQLite gives -wal and -shm the same mode
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new UsageError(`cannot create database ${path}: ${(e as Error).message}`, { code: "DB_INVALID", cause: e });
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
