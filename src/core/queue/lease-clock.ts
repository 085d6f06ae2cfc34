// The clock leases run on. Every worker of a shared queue must judge a lease by the same clock,
// or a machine whose clock runs fast takes jobs that healthy workers still hold: on PostgreSQL that
// is the database server's clock; an SQLite file has one machine, and its clock.
import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import type { Clock } from "../types.ts";
import * as postgres from "./lease-clock.postgres.ts";

const sqlite = { serverNow: async (): Promise<number | undefined> => undefined };

/**
 * How far (ms) the database server's clock is ahead of this machine's, measured once: the server's
 * time against the middle of the round trip that read it. 0 on SQLite.
 */
export async function serverClockOffset(db: Db, local: Clock = Date.now): Promise<number> {
  const before = local();
  const server = await byDialect(db, { sqlite, postgres }).serverNow(db);
  if (server === undefined) return 0;
  return Math.round(server - (before + local()) / 2);
}
