// PostgreSQL twin of batches.sqlite.ts: a batch's items inserted in one statement, the columns
// passed as arrays (unnest).
import { sql } from "kysely";
import type { Db } from "../../db/handle.ts";
import type { ItemSpec } from "./batches.ts";

/** Inserts a batch's items in order; an item without a website is created as skipped. */
export async function insertItems(trx: Db, batchId: number, items: readonly ItemSpec[], stamp: string): Promise<void> {
  await sql`
    insert into web_batch_item (batch_id, position, lead_id, orgnr, url, status, error, finished_at)
    select ${batchId}::bigint, v.position, v.lead_id, v.orgnr, v.url,
      case when v.url is null then 'skipped' else 'pending' end,
      case when v.url is null then 'no website' end,
      case when v.url is null then ${stamp}::timestamptz end
    from unnest(${items.map((_, i) => i + 1)}::int[], ${items.map((it) => it.leadId)}::bigint[],
      ${items.map((it) => it.orgnr)}::text[], ${items.map((it) => it.url)}::text[]) as v(position, lead_id, orgnr, url)
    order by v.position`.execute(trx);
}
