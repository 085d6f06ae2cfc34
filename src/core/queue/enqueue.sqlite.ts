// SQLite-specific inserts of enqueue.ts: multi-row inserts prepared once per database and run on
// the handle (prepared.sqlite.ts), their ids from SQLite's rowid order. A JSON array read with
// json_each through Kysely cost SQLite a parse and a re-render of every payload, a quarter of the insert.
import type { Db } from "../db/handle.ts";
import { prepared, statementText } from "./prepared.sqlite.ts";

/** The columns shared by jobs that differ only in payload. */
export interface SharedColumns {
  type: string;
  priority: number;
  /** An instant. */
  runAt: string;
  maxAttempts: number;
  scheduleId: number | null;
  batchId: number | null;
}

/**
 * Rows per statement: statements of this many, then the remainder in power-of-two sizes, so at
 * most nine statement texts per kind are ever prepared.
 */
const MAX_ROWS = 256;

/** Inserts one job per payload (each a JSON value), all with the columns of `j`; returns their ids in order. */
export async function insertPayloadArray(trx: Db, j: SharedColumns, payloads: readonly unknown[], stamp: string): Promise<number[]> {
  const shared = [j.type, j.priority, j.runAt, j.maxAttempts, j.scheduleId, j.batchId, stamp, stamp];
  return insertInStatements(trx, payloads.length, payloadStatement, (from, to) => {
    const args: unknown[] = shared.slice();
    for (let i = from; i < to; i++) args.push(JSON.stringify(payloads[i]));
    return args;
  });
}

/**
 * Inserts one job per row: [type, payload (JSON text), priority, run_at, max_attempts, dedupe_key,
 * schedule_id, batch_id, depends_on, blocked, timeout_ms]; returns their ids in order.
 */
export async function insertRowArray(trx: Db, rows: readonly (readonly unknown[])[], stamp: string): Promise<number[]> {
  return insertInStatements(trx, rows.length, rowStatement, (from, to) => {
    const args: unknown[] = [stamp, stamp];
    for (let i = from; i < to; i++) args.push(...(rows[i] as readonly unknown[]));
    return args;
  });
}

/**
 * Runs the statement for each size on the arguments of rows from..to. Under our write lock SQLite
 * gives each inserted row the largest rowid so far plus one (`job` has no AUTOINCREMENT), so a
 * statement of n rows gets the ids last-n+1 .. last, in the order of its VALUES. Cheaper than RETURNING.
 */
function insertInStatements(
  trx: Db,
  n: number,
  statement: (rows: number) => string,
  args: (from: number, to: number) => unknown[],
): number[] {
  const ids: number[] = new Array(n);
  let from = 0;
  while (from < n) {
    let size = MAX_ROWS;
    while (size > n - from) size >>= 1;
    const result = prepared(trx, statement(size)).run(args(from, from + size));
    const last = Number(result.lastInsertRowid);
    if (result.changes !== size || !Number.isSafeInteger(last)) throw new Error(`insert of ${size} jobs affected ${result.changes} rows`);
    for (let k = 0; k < size; k++) ids[from + k] = last - size + 1 + k;
    from += size;
  }
  return ids;
}

const payloadStatement = (rows: number): string =>
  statementText(
    `enqueue-payloads${rows}`,
    () => `insert into job (type, payload, priority, run_at, max_attempts, schedule_id, batch_id, created_at, updated_at)
    select ?, v.column1, ?, ?, ?, ?, ?, ?, ? from (values ${Array(rows).fill("(?)").join(", ")}) as v`,
  );

const rowStatement = (rows: number): string =>
  statementText(
    `enqueue-rows${rows}`,
    () => `insert into job (type, payload, priority, run_at, max_attempts, dedupe_key, schedule_id, batch_id, depends_on, blocked, timeout_ms, created_at, updated_at)
    select v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9, v.column10, v.column11, ?, ?
    from (values ${Array(rows).fill("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}) as v`,
  );

/** Wakes idle workers: nothing to do on SQLite (its workers poll). */
export async function announceJobs(_trx: Db): Promise<void> {}
