// PostgreSQL twin of brands.sqlite.ts: sample answers inserted in one statement, the rows passed
// as one JSON array (jsonb_to_recordset); an answer whose run key exists is left alone.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Inserts answer rows (objects keyed by column name, without job_id), skipping run keys already stored. */
export async function insertAnswers(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert into answer (brand_id, query_id, query_text, provider, model, asked_at, input_tokens, output_tokens, cost_micro_usd, text, job_id, run_key)
    select brand_id, query_id, query_text, provider, model, asked_at, input_tokens, output_tokens, cost_micro_usd, text, null, run_key
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(brand_id bigint, query_id bigint, query_text text, provider text, model text,
      asked_at timestamptz, input_tokens integer, output_tokens integer, cost_micro_usd bigint, text text, run_key text)
    on conflict do nothing`.execute(trx);
}
