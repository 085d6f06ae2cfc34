// SQLite-specific query of the brand report: answers counted by whole weeks before now (julianday).
import { sql } from "kysely";
import type { Db } from "../db/sqlite.ts";

export interface WeekLine {
  brand_id: number;
  provider: string;
  /** Whole weeks before now: 0 is the last seven days. */
  week: number;
  answers: number;
  mentioned: number;
}

/** Per brand, provider and week: scored answers asked since `since`, and how many mention the brand. */
export async function weeklyBrandMentions(db: Db, o: { since: string; now: string; brandId: number | undefined }): Promise<WeekLine[]> {
  const brandFilter = o.brandId === undefined ? sql`` : sql`and a.brand_id = ${o.brandId}`;
  const rows = await sql<WeekLine>`
    select a.brand_id, a.provider, cast((julianday(${o.now}) - julianday(a.asked_at)) / 7 as integer) as week,
      count(*) as answers, sum(m.mentioned) as mentioned
    from answer a join answer_mention m on m.answer_id = a.id and m.competitor_id is null
    where a.asked_at >= ${o.since} and a.scored_at is not null ${brandFilter}
    group by a.brand_id, a.provider, week`.execute(db);
  return rows.rows;
}
