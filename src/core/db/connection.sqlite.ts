// SQLite-specific: opening the database file (pragmas, a statement cache under Kysely).
import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteAdapter, SqliteDialect } from "kysely";
import type { OpenStoreOptions, Store } from "./connection.ts";
import type { Database } from "./database.ts";
import type { Db } from "./handle.ts";
import { onReadOnlyFileSystem, openReadOnlySqlite } from "./open-readonly.sqlite.ts";
import { openSqlite, prepareDatabaseFile } from "./open.sqlite.ts";

/**
 * Opens and migrates the database file (open.sqlite.ts) and puts Kysely over it.
 */
export async function openSqliteStore(path: string, opts: OpenStoreOptions): Promise<Store> {
  await prepareDatabaseFile(path, opts);
  // A command that only reads can read a database on a read-only file system; a writer is told why it cannot.
  const handle = opts.mustExist && onReadOnlyFileSystem(path) ? openReadOnlySqlite(path, opts) : openSqlite(path, opts);
  const trace = opts.traceSql;
  const db = new Kysely<Database>({
    dialect: new HandleDialect(handle, withStatementCache(handle)),
    ...(trace ? { log: (e) => trace(e.query.sql, e.queryDurationMillis) } : {}),
  });
  return {
    db,
    dialect: "sqlite",
    sqlite: handle,
    path,
    close: async () => {
      await db.destroy();
      // Kysely closes the handle only once it has run a query; a store used through the raw handle alone
      // (or not at all) would stay open, and its last commits would not be checkpointed out of the WAL.
      if (handle.open) handle.close();
    },
  };
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

/** SQLite's adapter, carrying the store's handle: every Kysely derived from the store (transactions, connections) shares it. */
class HandleAdapter extends SqliteAdapter {
  readonly handle: BetterSqlite3.Database;
  constructor(handle: BetterSqlite3.Database) {
    super();
    this.handle = handle;
  }
}

class HandleDialect extends SqliteDialect {
  readonly #handle: BetterSqlite3.Database;
  constructor(handle: BetterSqlite3.Database, cached: BetterSqlite3.Database) {
    super({ database: cached });
    this.#handle = handle;
  }
  override createAdapter(): SqliteAdapter {
    return new HandleAdapter(this.#handle);
  }
}

/**
 * The better-sqlite3 handle under a SQLite `db`, for the queue's hot path (prepared statements run
 * synchronously, without Kysely's compile and promise hops). Use it only with a transaction's
 * handle (`immediate(db, trx => …)`): holding Kysely's one connection is what keeps another
 * query from running in the middle of it.
 */
export function sqliteHandleOf(db: Db): BetterSqlite3.Database {
  const adapter = db.getExecutor().adapter;
  if (!(adapter instanceof HandleAdapter)) throw new Error("not a SQLite store opened by openSqliteStore");
  return adapter.handle;
}
