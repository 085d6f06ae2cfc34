// `leadjobs db copy`: the whole SQLite database into an empty PostgreSQL one, in one PostgreSQL
// transaction, so a copy that fails or is interrupted leaves the target as empty as it was.
// Reading the source (copy.sqlite.ts) and writing the target (copy.postgres.ts) are the
// dialect-specific halves; the plan (which tables, in which order, what may go into jsonb and
// text) is here.
import type pg from "pg";
import { ExitCode, LeadjobsError, UsageError } from "../errors.ts";
import type { PostgresStore, SqliteStore } from "./connection.ts";
import * as target from "./copy.postgres.ts";
import * as source from "./copy.sqlite.ts";
import type { SourceTable } from "./copy.sqlite.ts";
import { ADVISORY_LOCK } from "./dialect.ts";
import { mapPostgresError } from "./postgres-errors.ts";

export interface CopyOptions {
  /** Aborting stops the copy between two batches and rolls it back (SIGINT). */
  signal?: AbortSignal | undefined;
  /** Rows per insert (at most; fewer for wide tables, PostgreSQL takes 65535 parameters). */
  batchRows?: number | undefined;
  /** Milliseconds, for the summary's duration. */
  clock?: (() => number) | undefined;
}

export interface CopyResult {
  from: string;
  to: string;
  /** Every copied table in the order it was copied (referenced tables first), with its rows. */
  tables: Array<{ table: string; rows: number }>;
  rows: number;
  seconds: number;
}

const MAX_PARAMETERS = 65_000;

/**
 * Copies every data table of `from` (not schema_migration, not the FTS5 index: the target's
 * `company.search` is filled by its trigger) into `to`, which must be empty: it may hold only
 * the rows its migrations inserted (SNI codes, VAT rates, the schedule id mark), which are
 * replaced by the source's. Rows keep their ids; the identity sequences continue after them.
 * The row counts are compared before the commit.
 */
export async function copySqliteToPostgres(from: SqliteStore, to: PostgresStore, o: CopyOptions = {}): Promise<CopyResult> {
  const clock = o.clock ?? Date.now;
  const started = clock();
  stopIfAborted(o.signal, to.path); // interrupted while the target was being opened
  const tables = ordered(source.sourceTables(from.sqlite));
  const fresh = source.migrationRows(tables);
  const endSnapshot = source.beginSnapshot(from.sqlite);
  let client: pg.PoolClient | undefined;
  try {
    const expected = new Map(tables.map((t) => [t.name, source.countRows(from.sqlite, t.name)]));
    client = await to.pool.connect();
    const columns = await target.targetColumns(client);
    const plans = tables.map((t) => plan(t, columns.get(t.name), to.path));
    await client.query("begin");
    try {
      await target.lockTables(
        client,
        tables.map((t) => t.name),
        ADVISORY_LOCK.write,
      );
      for (const t of tables) {
        if (!(await isEmpty(client, t, fresh.get(t.name)))) {
          throw new UsageError(`${to.path} is not empty: table ${t.name} has rows; db copy only copies into an empty database`, {
            hint: "nothing was written",
          });
        }
      }
      for (const t of [...tables].reverse()) if (fresh.has(t.name)) await target.deleteAll(client, t.name);
      for (const p of plans) {
        await copyTable(client, from, p, o);
      }
      for (const p of plans) {
        for (const c of p.identity) await target.resetIdentity(client, p.table.name, c);
      }
      for (const t of tables) {
        const want = expected.get(t.name) ?? 0;
        const got = await target.countRows(client, t.name);
        if (got !== want)
          throw new LeadjobsError(
            `copy check failed: ${t.name} has ${got} rows in ${to.path}, ${want} in ${from.path}; nothing was copied`,
            "FAILED",
          );
      }
      stopIfAborted(o.signal, to.path);
      await client.query("commit");
    } catch (e) {
      await client.query("rollback").catch(() => undefined);
      throw e;
    }
    await target.analyze(client).catch(() => undefined); // statistics only: the copy is committed
    const counts = tables.map((t) => ({ table: t.name, rows: expected.get(t.name) ?? 0 }));
    return {
      from: from.path,
      to: to.path,
      tables: counts,
      rows: counts.reduce((sum, t) => sum + t.rows, 0),
      seconds: Math.round((clock() - started) / 100) / 10,
    };
  } catch (e) {
    throw mapPostgresError(e);
  } finally {
    client?.release();
    endSnapshot();
  }
}

interface TablePlan {
  table: SourceTable;
  columns: Array<{ name: string; type: string; json: boolean }>;
  /** Identity columns, whose sequences are moved past the copied ids. */
  identity: string[];
  /** Index of the `id` column (for self-references), or -1. */
  idIndex: number;
  /** Indexes of the primary key's columns (what names a row in messages). */
  keyIndexes: number[];
  /** Indexes of the columns that reference this table's own ids. */
  selfIndexes: number[];
}

function plan(t: SourceTable, columns: Map<string, target.TargetColumn> | undefined, display: string): TablePlan {
  if (!columns)
    throw new LeadjobsError(`${display} has no table ${t.name}: its schema differs from the source's`, "FAILED", {
      exitCode: ExitCode.Internal,
    });
  const cols = t.columns.map((name) => {
    const c = columns.get(name);
    if (!c)
      throw new LeadjobsError(`${display} has no column ${t.name}.${name}: its schema differs from the source's`, "FAILED", {
        exitCode: ExitCode.Internal,
      });
    return { name, type: c.type, json: c.type === "jsonb" || c.type === "json" };
  });
  return {
    table: t,
    columns: cols,
    identity: [...columns].filter(([, c]) => c.identity).map(([name]) => name),
    idIndex: t.columns.indexOf("id"),
    keyIndexes: t.key.map((c) => t.columns.indexOf(c)),
    selfIndexes: t.selfReferences.map((c) => t.columns.indexOf(c)),
  };
}

async function copyTable(client: pg.PoolClient, from: SqliteStore, p: TablePlan, o: CopyOptions): Promise<void> {
  const name = p.table.name;
  const batchRows = Math.max(1, Math.min(o.batchRows ?? 1000, Math.floor(MAX_PARAMETERS / p.columns.length)));
  const deferred = p.selfIndexes.map(() => [] as Array<[unknown, unknown]>);
  let ordinal = 0;
  for (const batch of source.readRows(from.sqlite, p.table, p.table.columns, batchRows)) {
    stopIfAborted(o.signal, "the target");
    for (const row of batch) {
      ordinal++;
      checkRow(p, row, ordinal);
      // A reference to a row not inserted yet (a higher id) is set once every row is in.
      p.selfIndexes.forEach((ci, k) => {
        const ref = row[ci];
        const id = row[p.idIndex];
        if (ref !== null && typeof ref === "number" && typeof id === "number" && ref >= id) {
          deferred[k]?.push([id, ref]);
          row[ci] = null;
        }
      });
    }
    try {
      await target.insertRows(client, name, p.columns, batch, p.identity.length > 0);
    } catch (e) {
      const mapped = mapPostgresError(e);
      if (mapped instanceof LeadjobsError) throw mapped;
      const first = rowLabel(p, batch[0], ordinal - batch.length + 1);
      const last = rowLabel(p, batch.at(-1), ordinal);
      throw new LeadjobsError(`cannot copy ${name} (${first} to ${last}): ${(e as Error).message}; nothing was copied`, "FAILED", {
        cause: e,
      });
    }
  }
  for (const [k, ci] of p.selfIndexes.entries()) {
    const column = p.table.columns[ci];
    if (column && deferred[k]?.length) await target.setReferences(client, name, column, deferred[k]);
  }
}

/** What PostgreSQL cannot store, named with its table and row before anything is sent. */
function checkRow(p: TablePlan, row: unknown[], ordinal: number): void {
  p.columns.forEach((c, i) => {
    const v = row[i];
    if (typeof v === "number" && c.json) row[i] = String(v);
    if (typeof v !== "string") return;
    if (v.includes("\0")) {
      throw new UsageError(
        `cannot copy ${p.table.name} ${rowLabel(p, row, ordinal)}: column ${c.name} holds a NUL character, which PostgreSQL cannot store; nothing was copied`,
      );
    }
    if (c.json && v.includes("\\u0000") && jsonHasNul(v)) {
      throw new UsageError(
        `cannot copy ${p.table.name} ${rowLabel(p, row, ordinal)}: column ${c.name} holds JSON with a \\u0000 character, which PostgreSQL's jsonb cannot store; nothing was copied`,
      );
    }
  });
}

function jsonHasNul(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false; // not JSON at all: PostgreSQL's message names the batch
  }
  const walk = (x: unknown): boolean => {
    if (typeof x === "string") return x.includes("\0");
    if (Array.isArray(x)) return x.some(walk);
    if (x !== null && typeof x === "object") return Object.entries(x).some(([k, v]) => k.includes("\0") || walk(v));
    return false;
  };
  return walk(value);
}

/** A row by its primary key (`id 7`, `orgnr 5560000001`), or by its place in the table when it has none. */
function rowLabel(p: TablePlan, row: unknown[] | undefined, ordinal: number): string {
  const parts = p.keyIndexes.map((i) => ({ name: p.table.columns[i], value: row?.[i] }));
  if (parts.length === 0 || parts.some((k) => k.value === undefined || k.value === null)) return `row ${ordinal}`;
  return parts.map((k) => `${k.name} ${String(k.value).replaceAll("\0", "\\0")}`).join(", ");
}

function stopIfAborted(signal: AbortSignal | undefined, display: string): void {
  if (signal?.aborted) {
    throw new LeadjobsError(`interrupted (${String(signal.reason ?? "aborted")}): nothing was copied; ${display} is as it was`, "FAILED", {
      exitCode: ExitCode.Interrupted,
    });
  }
}

/** A target table is empty when it has no rows, or exactly the rows the migrations put there. */
async function isEmpty(client: pg.PoolClient, t: SourceTable, freshRows: unknown[][] | undefined): Promise<boolean> {
  if (!freshRows) return !(await target.hasRows(client, t.name));
  const key = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
  const have = key(await target.allRows(client, t.name, t.columns));
  const want = key(freshRows);
  return have.length === want.length && have.every((r, i) => r === want[i]);
}

/** Referenced tables before the tables that reference them; otherwise the source's creation order. */
function ordered(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: SourceTable[] = [];
  const visit = (t: SourceTable) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) {
      throw new LeadjobsError(`cannot order the tables for copying: a foreign-key cycle through ${t.name}`, "FAILED", {
        exitCode: ExitCode.Internal,
      });
    }
    visiting.add(t.name);
    for (const r of t.references) {
      const ref = byName.get(r);
      if (ref) visit(ref);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}
