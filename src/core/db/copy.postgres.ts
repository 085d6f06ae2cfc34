// PostgreSQL-specific parts of `db copy`: the target's columns and their types, locking and
// checking the tables, multi-row inserts with explicit casts, identity sequences, counts. Every
// function runs on the one client that holds the copy's transaction.
import type pg from "pg";

export interface TargetColumn {
  /** The column's type as SQL (`timestamp with time zone`, `jsonb`, …): what a parameter is cast to. */
  type: string;
  identity: boolean;
}

/** The columns of every table of the current schema, by table and column name. */
export async function targetColumns(client: pg.PoolClient): Promise<Map<string, Map<string, TargetColumn>>> {
  const { rows } = await client.query<{ table: string; column: string; type: string; identity: boolean }>(
    `select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, a.attidentity <> '' as identity
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
      where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
        and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
  );
  const out = new Map<string, Map<string, TargetColumn>>();
  for (const r of rows) {
    const table = out.get(r.table) ?? new Map<string, TargetColumn>();
    table.set(r.column, { type: r.type, identity: r.identity });
    out.set(r.table, table);
  }
  return out;
}

/**
 * Nobody else writes the tables until the copy commits or rolls back (readers still read): the
 * tables in EXCLUSIVE mode, and the write lock that every leadjobs read-modify-write takes.
 */
export async function lockTables(client: pg.PoolClient, tables: string[], writeLock: number): Promise<void> {
  await client.query("select pg_advisory_xact_lock($1)", [writeLock]);
  await client.query(`lock table ${tables.map(quote).join(", ")} in exclusive mode`);
}

export async function hasRows(client: pg.PoolClient, table: string): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>(`select exists (select 1 from ${quote(table)}) as any`);
  return rows[0]?.any ?? false;
}

/** Every row of `columns`, as arrays of values read as on SQLite (the connection's type parsers). */
export async function allRows(client: pg.PoolClient, table: string, columns: string[]): Promise<unknown[][]> {
  const { rows } = await client.query<unknown[]>({
    text: `select ${columns.map(quote).join(", ")} from ${quote(table)}`,
    rowMode: "array",
  });
  return rows;
}

export async function deleteAll(client: pg.PoolClient, table: string): Promise<void> {
  await client.query(`delete from ${quote(table)}`);
}

/**
 * One multi-row insert; each parameter is cast to its column's type (text stays text: instants
 * in ISO form become timestamptz, JSON text jsonb). Explicit ids are kept (`overriding system
 * value` also covers an identity column generated always).
 */
export async function insertRows(
  client: pg.PoolClient,
  table: string,
  columns: Array<{ name: string; type: string }>,
  rows: unknown[][],
  identity: boolean,
): Promise<void> {
  let n = 0;
  const tuples = rows.map(() => `(${columns.map((c) => `$${++n}::${c.type}`).join(", ")})`);
  const text = `insert into ${quote(table)} (${columns.map((c) => quote(c.name)).join(", ")})${identity ? " overriding system value" : ""} values ${tuples.join(", ")}`;
  await client.query(text, rows.flat());
}

/** Sets `column` of the rows with the given ids (references inserted as null until their row existed). */
export async function setReferences(client: pg.PoolClient, table: string, column: string, pairs: Array<[unknown, unknown]>): Promise<void> {
  for (let i = 0; i < pairs.length; i += 1000) {
    const chunk = pairs.slice(i, i + 1000);
    await client.query(
      `update ${quote(table)} t set ${quote(column)} = v.ref from unnest($1::bigint[], $2::bigint[]) as v(id, ref) where t.id = v.id`,
      [chunk.map((p) => p[0]), chunk.map((p) => p[1])],
    );
  }
}

/** The identity sequence of `column` continues after the highest id copied (or starts at 1). */
export async function resetIdentity(client: pg.PoolClient, table: string, column: string): Promise<void> {
  await client.query(
    `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quote(column)}) from ${quote(table)}), 0) + 1, false)`,
    [quote(table), column],
  );
}

export async function countRows(client: pg.PoolClient, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`select count(*) as n from ${quote(table)}`);
  return rows[0]?.n ?? 0;
}

/** Fresh planner statistics for the copied tables (after the commit). */
export async function analyze(client: pg.PoolClient): Promise<void> {
  await client.query("analyze");
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
