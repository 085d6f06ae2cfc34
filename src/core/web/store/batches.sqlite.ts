// SQLite-specific write of a web batch: its items inserted in one statement, the rows passed
// as one JSON array (json_each, ->>).
import { sql } from "kysely";
import type { Db } from "../../db/handle.ts";
import type { ItemSpec } from "./batches.ts";

/** Inserts a batch's items in order; an item without a website is created as skipped. */
export async function insertItems(trx: Db, batchId: number, items: readonly ItemSpec[], stamp: string): Promise<void> {
  const rows = items.map((it, i) => [
    batchId,
    i + 1,
    it.leadId,
    it.orgnr,
    it.url,
    it.url === null ? "skipped" : "pending",
    it.url === null ? "no website" : null,
    it.url === null ? stamp : null,
  ]);
  await sql`
    insert into web_batch_item (batch_id, position, lead_id, orgnr, url, status, error, finished_at)
    select v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 3, v.value ->> 4, v.value ->> 5, v.value ->> 6, v.value ->> 7
    from json_each(${JSON.stringify(rows)}) as v`.execute(trx);
}
