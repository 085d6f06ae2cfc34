// PostgreSQL-specific query of lease-clock.ts.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** The server's clock now (clock_timestamp(), not the transaction's start), in ms since the epoch. */
export async function serverNow(db: Db): Promise<number | undefined> {
  const { rows } = await sql<{ ms: number | string }>`select extract(epoch from clock_timestamp()) * 1000 as ms`.execute(db);
  return rows[0] === undefined ? undefined : Number(rows[0].ms);
}
