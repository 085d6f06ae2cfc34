// SQLite-specific query of the brand report: answers counted by whole weeks before now (julianday).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";

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

export interface SubjectWeekLine {
  brand_id: number;
  brand: string;
  provider: string;
  competitor_id: number | null;
  name: string;
  /** Whole weeks before now: 0 is the last seven days. */
  week: number;
  answers: number;
  mentioned: number;
  avg_position: number | null;
  avg_sentiment: number | null;
}

/**
 * Per brand, provider, subject (the brand or a competitor) and week: scored answers asked since
 * `since`, how many mention the subject, its mean position and sentiment.
 */
export async function weeklySubjectFigures(
  db: Db,
  o: { since: string; now: string; brandId: number | undefined },
): Promise<SubjectWeekLine[]> {
  const brandFilter = o.brandId === undefined ? sql`` : sql`and a.brand_id = ${o.brandId}`;
  const rows = await sql<SubjectWeekLine>`
    select a.brand_id, b.name as brand, a.provider, m.competitor_id, m.name,
      cast((julianday(${o.now}) - julianday(a.asked_at)) / 7 as integer) as week,
      count(*) as answers, sum(m.mentioned) as mentioned, avg(m.position) as avg_position, avg(m.sentiment) as avg_sentiment
    from answer a join answer_mention m on m.answer_id = a.id join brand b on b.id = a.brand_id
    where a.asked_at >= ${o.since} and a.scored_at is not null ${brandFilter}
    group by a.brand_id, a.provider, m.competitor_id, m.name, week
    order by b.name, a.provider, m.competitor_id is not null, m.name`.execute(db);
  return rows.rows;
}
