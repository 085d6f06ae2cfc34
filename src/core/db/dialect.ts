import { PostgresAdapter, SqliteAdapter } from "kysely";
import type { Db } from "./handle.ts";

/**
 * Which SQL a store speaks. leadjobs runs on SQLite; PostgreSQL is planned (Kysely's
 * PostgresDialect over `pg`).
 *
 * Dialect in one place: SQL that only one dialect understands (json_each batches, `->>`,
 * json_extract, FTS5 and MATCH, julianday, `insert or ignore`, unary-plus index hints, pragmas,
 * `begin immediate`, sqlite_master; on PostgreSQL jsonb functions, casts, SKIP LOCKED, ilike,
 * full-text search, COPY) lives in a module named for the dialect, `foo.sqlite.ts` and
 * `foo.postgres.ts` beside the shared `foo.ts`, each offering the same functions (whole
 * queries, a function each); everything portable stays in `foo.ts`, which picks the module:
 *
 *   import * as postgres from "./foo.postgres.ts";
 *   import * as sqlite from "./foo.sqlite.ts";
 *   await byDialect(db, { sqlite, postgres }).claimDueJobs(trx, o);
 *
 * Here in core/db: handle.ts (the `Db` type and the write transaction), url.ts (which backend a
 * --db names), connection.ts (opening either), connection.sqlite.ts / connection.postgres.ts,
 * migrate.ts with migrate.sqlite.ts / migrate.postgres.ts (applying migrations/<dialect>/), and
 * sqlite-errors.ts / postgres-errors.ts (what each backend's errors mean to an operator).
 */
export type Dialect = "sqlite" | "postgres";

/** The dialect of a handle: the store's, a transaction's or a connection's. */
export function dialectOf(db: Db): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return "sqlite";
  if (adapter instanceof PostgresAdapter) return "postgres";
  throw new Error(`unsupported SQL dialect: ${adapter.constructor.name}`);
}

/** The implementation for `db`'s dialect (see above). */
export function byDialect<T>(db: Db, impl: { sqlite: T; postgres: T }): T {
  return impl[dialectOf(db)];
}

/**
 * PostgreSQL advisory lock keys (transaction-scoped): `migrate` serialises upgrades from several
 * machines; `write` is what `immediate()` takes, so a read-modify-write that relied on SQLite's
 * single writer stays serialised on PostgreSQL too (the queue's claim and finish do not take it).
 */
export const ADVISORY_LOCK = { migrate: 7_316_001, write: 7_316_002 } as const;
