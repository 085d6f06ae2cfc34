import { PostgresAdapter, SqliteAdapter } from "kysely";
import type { Db } from "./handle.ts";

/**
 * Which SQL a store speaks. leadjobs runs on SQLite; PostgreSQL is planned (Kysely's
 * PostgresDialect over `pg`).
 *
 * Dialect in one place: SQL that only one dialect understands (json_each batches, `->>`,
 * json_extract, FTS5 and MATCH, julianday, `insert or ignore`, unary-plus index hints, pragmas,
 * `begin immediate`, sqlite_master) lives in a module named for the dialect, `foo.sqlite.ts`
 * beside the shared `foo.ts`; everything portable stays in `foo.ts`. The dialect module holds
 * whole queries, a function each, so a `foo.postgres.ts` can offer the same functions. Today a
 * shared module imports the `.sqlite.ts` functions directly; the PostgreSQL issue adds the
 * switch on `store.dialect` or `dialectOf(db)` where they are called.
 *
 * Here in core/db: sqlite.ts (the `Db` type and the IMMEDIATE write transaction), sqlite-errors.ts
 * (SQLite error codes), connection.sqlite.ts (opening the file: pragmas) and migrate.sqlite.ts
 * (applying the numbered migrations, which are SQLite SQL); connection.ts and migrate.ts are shared.
 */
export type Dialect = "sqlite" | "postgres";

/** The dialect of a handle: the store's, a transaction's or a connection's. */
export function dialectOf(db: Db): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return "sqlite";
  if (adapter instanceof PostgresAdapter) return "postgres";
  throw new Error(`unsupported SQL dialect: ${adapter.constructor.name}`);
}

/**
 * PostgreSQL advisory lock keys (transaction-scoped): `migrate` serialises upgrades from several
 * machines; `write` is what `immediate()` takes, so a read-modify-write that relied on SQLite's
 * single writer stays serialised on PostgreSQL too (the queue's claim and finish do not take it).
 */
export const ADVISORY_LOCK = { migrate: 7_316_001, write: 7_316_002 } as const;
