// SQLite-specific: the queue's hot-path statements, prepared once per database and run
// synchronously on the handle under Kysely (claim.sqlite.ts, finish.sqlite.ts). A worker cycle
// runs a handful of statements per batch; through Kysely each cost a compile, a statement-cache
// lookup by its whole SQL text and several promise hops, more than SQLite took to run it.
import type BetterSqlite3 from "better-sqlite3";
import { sqliteHandleOf } from "../db/connection.sqlite.ts";
import type { Db } from "../db/handle.ts";

const texts = new Map<string, string>();

/**
 * The text of a statement built per row count (multi-row VALUES lists), made once per `key`: built
 * anew each cycle, a long text also cost its hashing in prepared()'s lookup.
 */
export function statementText(key: string, make: () => string): string {
  let text = texts.get(key);
  if (text === undefined) texts.set(key, (text = make()));
  return text;
}

const statements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** The statement for `text` on `trx`'s database; call only inside a transaction on `trx` (see sqliteHandleOf). */
export function prepared(trx: Db, text: string): BetterSqlite3.Statement {
  const handle = sqliteHandleOf(trx);
  let cache = statements.get(handle);
  if (!cache) statements.set(handle, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = handle.prepare(text)));
  return stmt;
}

/**
 * As handle.ts's immediate(), for the queue's hot path: BEGIN IMMEDIATE and COMMIT as prepared
 * statements on the handle, inside Kysely's hold on the one connection.
 */
export function preparedImmediate<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    prepared(conn, "begin immediate").run();
    try {
      const result = await fn(conn);
      prepared(conn, "commit").run();
      return result;
    } catch (e) {
      if (sqliteHandleOf(conn).inTransaction) prepared(conn, "rollback").run();
      throw e;
    }
  });
}
