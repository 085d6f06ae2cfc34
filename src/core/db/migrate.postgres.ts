// PostgreSQL-specific: applies migrations/postgres/ in one transaction under an advisory lock, so
// two machines upgrading at once never race; a database newer than this binary is refused untouched.
import type pg from "pg";
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import { ADVISORY_LOCK } from "./dialect.ts";
import type { Migration } from "./migrate.ts";
import { missingSchema } from "./postgres-errors.ts";

export async function migratePostgres(client: pg.PoolClient, migrations: Migration[], o: MigrateOptions): Promise<string[]> {
  const known = new Set(migrations.map((m) => m.name));
  const pending = async (): Promise<Migration[]> => {
    const applied = await appliedMigrations(client, o);
    const unknown = applied.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new UsageError(`${o.display} was written by a newer leadjobs (unknown migration ${unknown.join(", ")}); it was not modified`, {
        code: "DB_NEWER",
        hint: "upgrade leadjobs to open this database",
      });
    }
    const done = new Set(applied);
    return migrations.filter((m) => !done.has(m.name));
  };
  if ((await pending()).length === 0) return [];

  await client.query("begin");
  try {
    await client.query("select pg_advisory_xact_lock($1)", [ADVISORY_LOCK.migrate]);
    await client.query("create table if not exists schema_migration (name text primary key, applied_at timestamptz not null)");
    const todo = await pending(); // re-read under the lock: another machine may have won
    for (const m of todo) {
      try {
        await client.query(m.sql());
      } catch (e) {
        throw new LeadjobsError(`migration ${m.name} failed: ${(e as Error).message}`, "MIGRATION", {
          exitCode: ExitCode.Internal,
          cause: e,
        });
      }
      await client.query("insert into schema_migration (name, applied_at) values ($1, now())", [m.name]);
    }
    await client.query("commit");
    return todo.map((m) => m.name);
  } catch (e) {
    await client.query("rollback").catch(() => undefined);
    throw e;
  }
}

interface MigrateOptions {
  display: string;
  mustExist?: boolean | undefined;
  /** The search_path the URL sets (for the message when none of it exists). */
  schema?: string | undefined;
}

async function appliedMigrations(client: pg.PoolClient, o: MigrateOptions): Promise<string[]> {
  const { rows } = await client.query<{ schema: boolean; migrations: boolean; tables: number }>(
    `select current_schema() is not null as schema, to_regclass('schema_migration') is not null as migrations,
            (select count(*)::int from pg_tables where schemaname = current_schema()) as tables`,
  );
  const { schema, migrations, tables } = rows[0] ?? { schema: true, migrations: false, tables: 0 };
  // No schema of the search_path exists: creating the tables would fail with "no schema has been selected".
  if (!schema) throw missingSchema(`PostgreSQL at ${o.display}`, o.schema);
  if (migrations) return (await client.query<{ name: string }>("select name from schema_migration order by name")).rows.map((r) => r.name);
  if (tables > 0) {
    throw new UsageError(`${o.display} is not a leadjobs database (it has tables but no schema_migration)`, { code: "DB_INVALID" });
  }
  if (o.mustExist) {
    throw new UsageError(`no leadjobs database at ${o.display} (it has no tables)`, {
      code: "NOT_FOUND",
      hint: "check --db or LEADJOBS_DB; commands that only read never create the tables",
    });
  }
  return [];
}
