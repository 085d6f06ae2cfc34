// Small pieces of SQL that differ between the dialects inside otherwise portable queries. Whole
// queries that differ live in `foo.sqlite.ts` / `foo.postgres.ts` (dialect.ts).
import { type RawBuilder, sql } from "kysely";
import { dialectOf } from "./dialect.ts";
import type { Db } from "./handle.ts";

export interface Fragments {
  /** The larger of two values (SQLite's scalar max, PostgreSQL's greatest). */
  greatest<T>(a: RawBuilder<T> | string, b: RawBuilder<T> | unknown): RawBuilder<T>;
  /**
   * A column SQLite must not drive the plan by (the unary-plus hint that keeps it off an index);
   * PostgreSQL's planner needs no hint.
   */
  unindexed(column: string): RawBuilder<unknown>;
  /** A JSON text value going into a JSON column (jsonb on PostgreSQL). */
  json(value: RawBuilder<unknown> | unknown): RawBuilder<unknown>;
  /** An instant given as ISO text, typed where PostgreSQL cannot infer it (coalesce, case, select lists). */
  instant(value: unknown): RawBuilder<string>;
  /** A top-level field of a JSON column as text (a number as its digits); null when absent. */
  jsonText(column: string, key: string): RawBuilder<string | null>;
}

const column = (c: RawBuilder<unknown> | string | unknown) => (typeof c === "string" ? sql.ref(c) : c);

const sqlite: Fragments = {
  greatest: (a, b) => sql`max(${column(a)}, ${b})`,
  unindexed: (c) => sql`+${sql.ref(c)}`,
  json: (v) => sql`${v}`,
  instant: (v) => sql<string>`${v}`,
  jsonText: (c, key) => sql<string | null>`cast(json_extract(${sql.ref(c)}, ${`$.${key}`}) as text)`,
};

const postgres: Fragments = {
  greatest: (a, b) => sql`greatest(${column(a)}, ${b})`,
  unindexed: (c) => sql`${sql.ref(c)}`,
  json: (v) => sql`cast(${v} as jsonb)`,
  instant: (v) => sql<string>`cast(${v} as timestamptz)`,
  jsonText: (c, key) => sql<string | null>`(${sql.ref(c)} ->> ${key})`,
};

/** The fragments of `db`'s dialect. */
export function fragments(db: Db): Fragments {
  return dialectOf(db) === "postgres" ? postgres : sqlite;
}
