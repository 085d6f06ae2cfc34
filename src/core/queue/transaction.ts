import { dialectOf } from "../db/dialect.ts";
import { type Db, rowLockedTransaction } from "../db/handle.ts";
import { preparedImmediate } from "./prepared.sqlite.ts";

/**
 * The write transaction of the queue's hot path (a worker's finish-and-claim cycle):
 * rowLockedTransaction, with its BEGIN IMMEDIATE and COMMIT run as prepared statements on SQLite.
 */
export function queueTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return dialectOf(db) === "sqlite" ? preparedImmediate(db, fn) : rowLockedTransaction(db, fn);
}
