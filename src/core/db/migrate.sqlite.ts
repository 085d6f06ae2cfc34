// SQLite-specific: applies migrations through the raw better-sqlite3 handle (multi-statement
// files need exec(); SQLite has no transactional DDL in Kysely's Migrator) in one IMMEDIATE
// transaction, and finds the tables in sqlite_master.
import type BetterSqlite3 from "better-sqlite3";
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import type { Migration } from "./migrate.ts";

export interface MigrateResult {
  applied: string[];
}

/**
 * Applies the missing migrations, all of them in one IMMEDIATE transaction, so a failing
 * migration leaves nothing behind and concurrent first starts cannot both apply one.
 * A database that records migrations we do not know was written by a newer leadjobs:
 * it is refused and not touched.
 */
export function migrate(sqlite: BetterSqlite3.Database, migrations: Migration[], path: string): MigrateResult {
  const known = new Set(migrations.map((m) => m.name));
  const pending = (): Migration[] => {
    const applied = appliedMigrations(sqlite, path);
    const unknown = applied.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new UsageError(`${path} was written by a newer leadjobs (unknown migration ${unknown.join(", ")}); it was not modified`, {
        code: "DB_NEWER",
        hint: "upgrade leadjobs to open this database",
      });
    }
    const done = new Set(applied);
    return migrations.filter((m) => !done.has(m.name));
  };
  if (pending().length === 0) return { applied: [] };

  // SQLite's procedure for changing a table (rebuild it under another name, drop the old one,
  // rename): foreign keys off, or dropping a parent table would cascade into its children, and
  // the foreign keys checked as a whole before the commit. The pragma cannot change inside a
  // transaction, so it holds for every migration; none relies on a cascade. Only rows the
  // migrations left pointing at nothing fail them: a file edited by hand with foreign keys off
  // (sqlite3's default) may already hold some, and must still open.
  const enforced = sqlite.pragma("foreign_keys", { simple: true }) === 1;
  if (enforced) sqlite.pragma("foreign_keys = off");
  try {
    return { applied: applyPending(sqlite, pending, enforced) };
  } finally {
    if (enforced) sqlite.pragma("foreign_keys = on");
  }
}

function applyPending(sqlite: BetterSqlite3.Database, pending: () => Migration[], checkForeignKeys: boolean): string[] {
  const apply = sqlite.transaction(() => {
    const todo = pending(); // re-read under the write lock: another process may have won
    const brokenBefore = checkForeignKeys ? brokenReferences(sqlite) : 0;
    for (const m of todo) {
      try {
        sqlite.exec(m.sql());
      } catch (e) {
        throw new LeadjobsError(`migration ${m.name} failed: ${(e as Error).message}`, "MIGRATION", {
          exitCode: ExitCode.Internal,
          cause: e,
        });
      }
      sqlite.prepare("insert into schema_migration (name, applied_at) values (?, ?)").run(m.name, new Date().toISOString());
    }
    if (checkForeignKeys && brokenReferences(sqlite) > brokenBefore) {
      const names = todo.map((m) => m.name).join(", ");
      throw new LeadjobsError(`migration ${names} failed: it left rows referring to rows that do not exist`, "MIGRATION", {
        exitCode: ExitCode.Internal,
      });
    }
    return todo.map((m) => m.name);
  });
  return apply.immediate();
}

/** Rows whose foreign key refers to a row that does not exist. */
function brokenReferences(sqlite: BetterSqlite3.Database): number {
  return sqlite.prepare("select count(*) from pragma_foreign_key_check").pluck().get() as number;
}

function appliedMigrations(sqlite: BetterSqlite3.Database, path: string): string[] {
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.includes("schema_migration")) {
    return sqlite.prepare("select name from schema_migration order by name").pluck().all() as string[];
  }
  if (tables.length > 0) {
    throw new UsageError(`${path} is not a leadjobs database (it has tables but no schema_migration)`, { code: "DB_INVALID" });
  }
  sqlite.exec("create table if not exists schema_migration (name text primary key, applied_at text not null)");
  return [];
}
