// The database handle and the write transaction every read-modify-write goes through.
import { sql, type Kysely } from "kysely";
import type { Database } from "./database.ts";
import { ADVISORY_LOCK, dialectOf } from "./dialect.ts";

export type Db = Kysely<Database>;

/**
 * Runs `fn` in a write transaction that holds the database's write lock from its start: on
 * SQLite `BEGIN IMMEDIATE` (waiting up to the busy timeout, so it never fails half-way with
 * SQLITE_BUSY); on PostgreSQL a transaction that first takes the `write` advisory lock, so code
 * that reads and then writes keeps SQLite's one-writer-at-a-time guarantee across machines.
 * Inside `fn`, use only the `trx` handle.
 */
export async function immediate<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  const postgres = dialectOf(db) === "postgres";
  return db.connection().execute(async (conn) => {
    if (postgres) {
      await sql`begin`.execute(conn);
      await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK.write})`.execute(conn).catch(async (e) => {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      });
    } else {
      await sql`begin immediate`.execute(conn);
    }
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

/**
 * A write transaction for the queue's hot paths (claim, finish, lease renewal), whose safety
 * comes from row locks and conditional updates (`… where lease_token = ? and state = 'running'`,
 * `for update skip locked`): `immediate()` on SQLite; on PostgreSQL a plain transaction, without
 * the global write lock, so workers on many machines do not queue behind each other.
 */
export async function rowLockedTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "sqlite") return immediate(db, fn);
  // Two such transactions that lock the same rows in another order end in a deadlock, which
  // PostgreSQL breaks by failing one: it rolled back, so it is run again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (e) {
      if (attempt >= 5 || !RETRYABLE.has((e as { code?: string }).code ?? "")) throw e;
      await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
    }
  }
}

/** deadlock_detected, serialization_failure */
const RETRYABLE = new Set(["40P01", "40001"]);
