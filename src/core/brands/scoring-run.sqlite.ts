// SQLite-specific writes of answer scoring: a chunk's mentions and citations inserted in one
// statement each, the rows passed as one JSON array (json_each, ->>).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Inserts answer_mention rows (objects keyed by column name). */
export async function insertMentions(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert into answer_mention (answer_id, competitor_id, name, mentioned, position, position_kind, first_offset, sentiment, sentiment_label, sentiment_scorer)
    select v.value ->> 'answer_id', v.value ->> 'competitor_id', v.value ->> 'name', v.value ->> 'mentioned', v.value ->> 'position',
      v.value ->> 'position_kind', v.value ->> 'first_offset', v.value ->> 'sentiment', v.value ->> 'sentiment_label', v.value ->> 'sentiment_scorer'
    from json_each(${JSON.stringify(rows)}) as v`.execute(trx);
}

/** Inserts answer_citation rows (objects keyed by column name). */
export async function insertCitations(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert into answer_citation (answer_id, url, domain, owner, competitor_id)
    select v.value ->> 'answer_id', v.value ->> 'url', v.value ->> 'domain', v.value ->> 'owner', v.value ->> 'competitor_id'
    from json_each(${JSON.stringify(rows)}) as v`.execute(trx);
}
