import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

export const VIEW_BATCH = 5000;

/** Views deleted, in how many batches, and the instant they were older than. */
export interface ViewPruneSummary {
  deleted: number;
  batches: number;
  before: string;
}

/** Deletes share-link views older than `before`, a batch per statement (short write locks). */
export async function pruneViews(db: Db, o: { before: number; batchSize?: number; signal?: AbortSignal }): Promise<ViewPruneSummary> {
  const before = toInstant(o.before);
  const size = o.batchSize ?? VIEW_BATCH;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    const r = await sql`delete from share_link_view where id in (
      select id from share_link_view where viewed_at < ${before} order by id limit ${size})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    if (n === 0) break;
    deleted += n;
    batches++;
    if (n < size) break;
  }
  return { deleted, batches, before };
}

export async function countOldViews(db: Db, before: number): Promise<number> {
  const row = await db
    .selectFrom("share_link_view")
    .select(sql<number>`count(*)`.as("n"))
    .where("viewed_at", "<", toInstant(before))
    .executeTakeFirstOrThrow();
  return row.n;
}
