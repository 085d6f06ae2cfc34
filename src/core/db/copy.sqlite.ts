// SQLite-specific parts of `db copy`: the tables of the source file with their columns and
// foreign keys (sqlite_master, pragma_table_list, pragma_foreign_key_list), a read snapshot, and
// reading a table's rows in batches.
import type BetterSqlite3 from "better-sqlite3";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migrate } from "./migrate.sqlite.ts";
import { newSqlite } from "./sqlite-driver.ts";

export interface SourceTable {
  name: string;
  columns: string[];
  /** The primary key's columns, in key order (empty when the table has none): what names a row in messages. */
  key: string[];
  /** Tables this one references (other than itself). */
  references: string[];
  /** Columns that reference this table's own `id` (job.depends_on). */
  selfReferences: string[];
  /** A rowid table is read in rowid order (ids ascending); a WITHOUT ROWID one in key order. */
  rowid: boolean;
}

/** Never copied: the migration record (the target has its own) and the FTS5 index (PostgreSQL's tsvector replaces it). */
const NOT_DATA = new Set(["schema_migration"]);

/** The data tables in creation order: no SQLite internals, no virtual tables or their shadow tables. */
export function sourceTables(sqlite: BetterSqlite3.Database): SourceTable[] {
  const listed = sqlite.prepare("select name, type, wr from pragma_table_list where schema = 'main'").all() as Array<{
    name: string;
    type: string;
    wr: number;
  }>;
  const kind = new Map(listed.map((t) => [t.name, t]));
  const names = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by rowid")
    .pluck()
    .all() as string[];
  return names
    .filter((name) => kind.get(name)?.type === "table" && !NOT_DATA.has(name))
    .map((name) => {
      const columns = sqlite.prepare("select name from pragma_table_info(?) order by cid").pluck().all(name) as string[];
      const key = sqlite.prepare("select name from pragma_table_info(?) where pk > 0 order by pk").pluck().all(name) as string[];
      const fks = sqlite.prepare('select "table", "from" from pragma_foreign_key_list(?)').all(name) as Array<{
        table: string;
        from: string;
      }>;
      return {
        name,
        columns,
        key,
        references: [...new Set(fks.filter((f) => f.table !== name).map((f) => f.table))],
        selfReferences: fks.filter((f) => f.table === name).map((f) => f.from),
        rowid: kind.get(name)?.wr === 0,
      };
    });
}

/**
 * Starts a read transaction and reads once inside it, so every later read (counts and rows) sees
 * the file as it was now, whatever writers do meanwhile (WAL keeps the snapshot).
 */
export function beginSnapshot(sqlite: BetterSqlite3.Database): () => void {
  sqlite.exec("begin");
  sqlite.prepare("select count(*) from sqlite_master").get();
  return () => {
    if (sqlite.inTransaction) sqlite.exec("rollback");
  };
}

export function countRows(sqlite: BetterSqlite3.Database, table: string): number {
  return sqlite
    .prepare(`select count(*) from ${quote(table)}`)
    .pluck()
    .get() as number;
}

/** The table's rows as arrays of `columns`' values, `batchSize` at a time. */
export function* readRows(sqlite: BetterSqlite3.Database, t: SourceTable, columns: string[], batchSize: number): Generator<unknown[][]> {
  const stmt = sqlite.prepare(`select ${columns.map(quote).join(", ")} from ${quote(t.name)}${t.rowid ? " order by rowid" : ""}`).raw();
  let batch: unknown[][] = [];
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The rows a database holds right after its migrations (reference data: SNI codes, VAT rates, the
 * schedule id mark), per table: what an "empty" target may hold. Read from a new in-memory
 * database migrated with this binary's SQLite migrations (the PostgreSQL ones insert the same rows).
 */
export function migrationRows(tables: SourceTable[]): Map<string, unknown[][]> {
  const fresh = newSqlite(":memory:");
  try {
    migrate(fresh, readMigrations(findMigrationsDir("sqlite")), ":memory:");
    const out = new Map<string, unknown[][]>();
    for (const t of tables) {
      const rows = fresh
        .prepare(`select ${t.columns.map(quote).join(", ")} from ${quote(t.name)}`)
        .raw()
        .all() as unknown[][];
      if (rows.length > 0) out.set(t.name, rows);
    }
    return out;
  } finally {
    fresh.close();
  }
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
