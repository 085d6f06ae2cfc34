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

  const apply = sqlite.transaction(() => {
    const todo = pending(); // re-read under the write lock: another process may have won
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
    return todo.map((m) => m.name);
  });
  return { applied: apply.immediate() };
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
