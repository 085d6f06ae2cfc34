import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { Instant } from "../time.ts";

export interface QueryToAsk {
  id: number;
  text: string;
}

/**
 * The active queries a collection job asks. With a limit, the queries this job has asked
 * already (an earlier attempt) come first, then those asked least recently, so a retried job
 * keeps its set and daily limited runs go round all the queries.
 */
export async function queriesToAsk(db: Db, brandId: number, jobId: number, limit: number | undefined): Promise<QueryToAsk[]> {
  const base = db
    .selectFrom("brand_query")
    .select(["brand_query.id", "brand_query.text"])
    .where("brand_query.brand_id", "=", brandId)
    .where("brand_query.active", "=", 1);
  if (limit === undefined) return base.orderBy("brand_query.id").execute();
  // One pass over the brand's answers (its index), not a lookup per query.
  const asked = db
    .selectFrom("answer")
    .select([
      "answer.query_id",
      sql<string>`max(answer.asked_at)`.as("last"),
      sql<number>`max(case when answer.job_id = ${jobId} then 1 else 0 end)`.as("mine"),
    ])
    .where("answer.brand_id", "=", brandId)
    .groupBy("answer.query_id")
    .as("asked");
  return base
    .leftJoin(asked, "asked.query_id", "brand_query.id")
    .orderBy(sql`coalesce(asked.mine, 0)`, "desc")
    .orderBy(sql`asked.last is not null`)
    .orderBy("asked.last")
    .orderBy("brand_query.id")
    .limit(limit)
    .execute();
}

/** The run key of one answer: job + query + provider/model. A retried job stores each answer once. */
export const runKey = (jobId: number, queryId: number, collector: string) => `job:${jobId}|query:${queryId}|${collector}`;

/** Run keys a job has stored already, and what it spent (all attempts). */
export async function jobAnswers(db: Db, jobId: number): Promise<{ keys: Set<string>; spentMicroUsd: number; stored: number }> {
  const rows = await db.selectFrom("answer").select(["run_key", "cost_micro_usd"]).where("job_id", "=", jobId).execute();
  return {
    keys: new Set(rows.map((r) => r.run_key).filter((k): k is string => k !== null)),
    spentMicroUsd: rows.reduce((s, r) => s + r.cost_micro_usd, 0),
    stored: rows.length,
  };
}

export interface NewAnswer {
  brandId: number;
  query: QueryToAsk;
  provider: string;
  model: string;
  askedAt: Instant;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  text: string;
  jobId: number;
  runKey: string;
}

/** Stores an answer unless its run key is stored already; true when it was new. */
export async function storeAnswer(db: Db, a: NewAnswer): Promise<boolean> {
  const r = await db
    .insertInto("answer")
    .values({
      brand_id: a.brandId,
      query_id: a.query.id,
      query_text: a.query.text,
      provider: a.provider,
      model: a.model,
      asked_at: a.askedAt,
      input_tokens: a.inputTokens,
      output_tokens: a.outputTokens,
      cost_micro_usd: a.costMicroUsd,
      text: a.text,
      job_id: a.jobId,
      run_key: a.runKey,
    })
    .onConflict((oc) => oc.column("run_key").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}
