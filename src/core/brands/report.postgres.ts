// PostgreSQL twin of report.sqlite.ts: answers counted by whole weeks before now (an interval's
// epoch in days instead of julianday).
import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import type { SubjectWeekLine, WeekLine } from "./report.sqlite.ts";

/** Whole weeks between `asked_at` and `now`, truncated toward zero as SQLite's cast to integer does. */
function weeksBefore(now: string) {
  return sql`trunc(extract(epoch from (${now}::timestamptz - a.asked_at)) / 86400 / 7)::int`;
}

/** Per brand, provider and week: scored answers asked since `since`, and how many mention the brand. */
export async function weeklyBrandMentions(db: Db, o: { since: string; now: string; brandId: number | undefined }): Promise<WeekLine[]> {
  const brandFilter = o.brandId === undefined ? sql`` : sql`and a.brand_id = ${o.brandId}`;
  const rows = await sql<WeekLine>`
    select a.brand_id, a.provider, ${weeksBefore(o.now)} as week,
      count(*) as answers, sum(m.mentioned)::bigint as mentioned
    from answer a join answer_mention m on m.answer_id = a.id and m.competitor_id is null
    where a.asked_at >= ${o.since} and a.scored_at is not null ${brandFilter}
    group by a.brand_id, a.provider, week`.execute(db);
  return rows.rows;
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
      ${weeksBefore(o.now)} as week,
      count(*) as answers, sum(m.mentioned)::bigint as mentioned,
      avg(m.position)::double precision as avg_position, avg(m.sentiment) as avg_sentiment
    from answer a join answer_mention m on m.answer_id = a.id join brand b on b.id = a.brand_id
    where a.asked_at >= ${o.since} and a.scored_at is not null ${brandFilter}
    group by a.brand_id, b.name, a.provider, m.competitor_id, m.name, week
    order by b.name, a.provider, m.competitor_id is not null, m.name`.execute(db);
  return rows.rows;
}
