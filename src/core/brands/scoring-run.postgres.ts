// PostgreSQL twin of scoring-run.sqlite.ts: a chunk's mentions and citations inserted in one
// statement each, the rows passed as one JSON array (jsonb_to_recordset).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Inserts answer_mention rows (objects keyed by column name). */
export async function insertMentions(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert into answer_mention (answer_id, competitor_id, name, mentioned, position, position_kind, first_offset, sentiment, sentiment_label, sentiment_scorer)
    select answer_id, competitor_id, name, mentioned, position, position_kind, first_offset, sentiment, sentiment_label, sentiment_scorer
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(answer_id bigint, competitor_id bigint, name text, mentioned smallint,
      position integer, position_kind text, first_offset integer, sentiment double precision, sentiment_label text, sentiment_scorer text)`.execute(
    trx,
  );
}

/** Inserts answer_citation rows (objects keyed by column name). */
export async function insertCitations(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert into answer_citation (answer_id, url, domain, owner, competitor_id)
    select answer_id, url, domain, owner, competitor_id
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(answer_id bigint, url text, domain text, owner text, competitor_id bigint)`.execute(
    trx,
  );
}
