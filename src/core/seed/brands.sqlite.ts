// SQLite-specific write of the brand seed: sample answers inserted in one statement, the rows
// passed as one JSON array (json_each, ->>); an answer whose run key exists is left alone.
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

/** Inserts answer rows (objects keyed by column name, without job_id), skipping run keys already stored. */
export async function insertAnswers(trx: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await sql`insert or ignore into answer (brand_id, query_id, query_text, provider, model, asked_at, input_tokens, output_tokens, cost_micro_usd, text, job_id, run_key)
    select v.value ->> 'brand_id', v.value ->> 'query_id', v.value ->> 'query_text', v.value ->> 'provider', v.value ->> 'model', v.value ->> 'asked_at',
      v.value ->> 'input_tokens', v.value ->> 'output_tokens', v.value ->> 'cost_micro_usd', v.value ->> 'text', null, v.value ->> 'run_key'
    from json_each(${JSON.stringify(rows)}) as v`.execute(trx);
}
