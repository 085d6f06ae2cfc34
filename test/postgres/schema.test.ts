import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * migrations/postgres/ is a translation of migrations/sqlite/: after all files of each are
 * applied, both databases have the same tables, the same columns per table (in the same order)
 * and the same named indexes. Left out on SQLite: its internal tables and the FTS5 table
 * company_fts with its shadow tables. Allowed on PostgreSQL only: company.search (the tsvector
 * that stands in for company_fts), its GIN index company_search, and the list of its words
 * (company_search_lexicon, which FTS5's prefix indexes make unnecessary).
 * Needs LEADJOBS_TEST_POSTGRES=<admin url>; makes its own database there and drops it.
 */
const adminUrl = process.env.LEADJOBS_TEST_POSTGRES;
const root = join(import.meta.dirname, "../..");
const PG_ONLY_COLUMNS: Record<string, string[]> = { company: ["search"] };
const PG_ONLY_INDEXES = ["company_search"];
const PG_ONLY_TABLES = ["company_search_lexicon"];
const FTS5_SHADOWS = ["data", "idx", "content", "docsize", "config"];

interface Schema {
  columns: Map<string, string[]>;
  indexes: string[];
}

function migrationFiles(dialect: "sqlite" | "postgres"): string[] {
  return readdirSync(join(root, "migrations", dialect))
    .filter((f) => f.endsWith(".sql"))
    .sort();
}

function sqliteSchema(): Schema {
  const db = new BetterSqlite3(":memory:");
  try {
    for (const f of migrationFiles("sqlite")) db.transaction(() => db.exec(readFileSync(join(root, "migrations/sqlite", f), "utf8")))();
    const entries = db.prepare("select type, name, sql from sqlite_master where name not like 'sqlite_%'").all() as Array<{
      type: string;
      name: string;
      sql: string | null;
    }>;
    const virtual = entries.filter((e) => e.type === "table" && /^create virtual table/i.test(e.sql ?? "")).map((e) => e.name);
    const skipped = new Set(virtual.flatMap((v) => [v, ...FTS5_SHADOWS.map((s) => `${v}_${s}`)]));
    const columns = new Map<string, string[]>();
    for (const e of entries) {
      if (e.type !== "table" || skipped.has(e.name)) continue;
      const info = db.prepare(`select name from pragma_table_info(?) order by cid`).pluck().all(e.name) as string[];
      columns.set(e.name, info);
    }
    // Named indexes only: those of primary keys and unique constraints (sql null) are implicit.
    const indexes = entries.filter((e) => e.type === "index" && e.sql !== null).map((e) => e.name);
    return { columns, indexes: indexes.sort() };
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One transaction per file, as leadjobs applies them.
    for (const f of migrationFiles("postgres")) {
      await client.query("begin");
      try {
        await client.query(readFileSync(join(root, "migrations/postgres", f), "utf8"));
        await client.query("commit");
      } catch (e) {
        await client.query("rollback");
        throw new Error(`${f}: ${(e as Error).message}`);
      }
    }
    const cols = await client.query<{ table_name: string; column_name: string }>(
      `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
       order by c.table_name, c.ordinal_position`,
    );
    const columns = new Map<string, string[]>();
    for (const r of cols.rows) {
      if (PG_ONLY_TABLES.includes(r.table_name) || PG_ONLY_COLUMNS[r.table_name]?.includes(r.column_name)) continue;
      columns.set(r.table_name, [...(columns.get(r.table_name) ?? []), r.column_name]);
    }
    // Named indexes only: not those behind primary key and unique constraints.
    const idx = await client.query<{ name: string }>(
      `select i.relname as name from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_namespace n on n.oid = i.relnamespace
       where n.nspname = 'public' and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    );
    const indexes = idx.rows.map((r) => r.name).filter((n) => !PG_ONLY_INDEXES.includes(n));
    return { columns, indexes: indexes.sort() };
  } finally {
    await client.end();
  }
}

describe("the PostgreSQL migrations", () => {
  const database = `ljt_schema_${process.pid}_${Date.now()}`;
  let admin: pg.Client | undefined;

  beforeAll(async () => {
    if (!adminUrl) return;
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it("have the same file names as the SQLite ones", () => {
    expect(migrationFiles("postgres")).toEqual(migrationFiles("sqlite"));
  });

  it("apply one by one and give the same tables, columns and named indexes as SQLite", async (ctx) => {
    if (!adminUrl) ctx.skip("LEADJOBS_TEST_POSTGRES unset (a PostgreSQL admin URL)");
    const url = new URL(adminUrl as string);
    url.pathname = `/${database}`;
    const [lite, post] = [sqliteSchema(), await postgresSchema(url.toString())];
    expect(lite.columns.size).toBeGreaterThan(40); // the comparison is not vacuous
    expect([...post.columns.keys()].sort()).toEqual([...lite.columns.keys()].sort());
    for (const [table, columns] of lite.columns) expect({ table, columns: post.columns.get(table) }).toEqual({ table, columns });
    expect(post.indexes).toEqual(lite.indexes);
  });
});
