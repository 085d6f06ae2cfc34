// SQLite-specific: IMMEDIATE transactions (pragmas are in connection.sqlite.ts, error codes in
// sqlite-errors.ts; see dialect.ts). `Db` itself is portable: it moves out when PostgreSQL comes.
import { sql, type Kysely } from "kysely";
import type { Database } from "./database.ts";

export type Db = Kysely<Database>;

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction on the store's single connection: the write
 * lock is taken up front (waiting up to the busy timeout) so the transaction never fails
 * half-way with SQLITE_BUSY. Inside `fn`, use only the `trx` handle.
 */
export async function immediate<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}
