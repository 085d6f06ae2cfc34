import type { Db } from "../db/handle.ts";

/** A job that died: no attempts left, or an error a retry cannot fix. */
export interface DeadJob {
  id: number;
  type: string;
  error: string;
  attempts: number;
}

/**
 * The jobs that recorded ends (a worker's, a foreground run's, a rescue's) left dead or cancelled.
 * The jobs that waited on them were cancelled in the same transaction (dependents.ts) and are not listed.
 */
export interface EndedJobs {
  dead: readonly DeadJob[];
  cancelled: readonly number[];
}

/** What follows such ends (notices, batches), run inside the transaction that recorded them. */
export type JobEndHook = (trx: Db, ended: EndedJobs, now: number) => Promise<void>;

/** Of these jobs, those now cancelled: an end recorded while a cancel was requested (a failure, a snooze, a release) cancels its job too. */
export async function cancelledAmong(trx: Db, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom("job").select("id").where("id", "in", ids).where("state", "=", "cancelled").execute();
  return rows.map((r) => r.id);
}
