// The SQLite-specific pieces of the store live here: pragmas, IMMEDIATE transactions and
// the mapping of SQLite error codes to leadjobs errors. A PostgreSQL backend replaces this file.
import { sql, type Kysely } from "kysely";
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import type { Database } from "./schema.ts";

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

/** Turns the SQLite errors a user can cause into one clear line and the documented exit code. */
export function mapSqliteError(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return e;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new LeadjobsError(`database ${path} is locked by another process (busy timeout exceeded); try again later`, "DB_BUSY", { exitCode: ExitCode.TempFail, cause: e });
  }
  if (code === "SQLITE_NOTADB") return new UsageError(`${path} is not a SQLite database`, { code: "DB_INVALID", cause: e });
  if (code.startsWith("SQLITE_CORRUPT")) return new UsageError(`database ${path} is corrupt (${code})`, { code: "DB_INVALID", cause: e });
  if (code.startsWith("SQLITE_CANTOPEN")) return new UsageError(`cannot open database ${path}`, { code: "DB_INVALID", cause: e });
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) {
    return new UsageError(`database ${path} is not writable (${code})`, { code: "DB_INVALID", cause: e });
  }
  if (code.startsWith("SQLITE_FULL")) return new LeadjobsError(`database ${path}: disk full`, "FAILED", { exitCode: ExitCode.TempFail, cause: e });
  return e;
}
