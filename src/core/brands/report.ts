import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { byDialect } from "../db/dialect.ts";
import * as postgres from "./report.postgres.ts";
import * as sqlite from "./report.sqlite.ts";

export interface SubjectFigures {
  /** null: the brand itself. */
  competitorId: number | null;
  name: string;
  answers: number;
  /** Share of answers that mention it, 0..1. */
  mentionShare: number;
  /** Mean rank where mentioned. */
  avgPosition: number | null;
  /** Mean sentiment -1..1 where mentioned and scored. */
  avgSentiment: number | null;
  /** Share of answers citing its domains, 0..1. */
  citationShare: number;
}

export interface BrandProviderReport {
  brandId: number;
  brand: string;
  provider: string;
  answers: number;
  brandFigures: SubjectFigures;
  competitors: SubjectFigures[];
  /** The brand's mention share per week, oldest first (null: no answers that week). */
  weekly: Array<{ week: string; mentionShare: number | null }>;
}

export interface BrandReportOptions {
  brandId?: number | undefined;
  since: number;
  now: number;
}

const WEEK_MS = 7 * 86_400_000;

/** Per brand and provider, over scored answers asked since `since`: how the brand and each competitor fare. */
export async function brandReport(db: Db, o: BrandReportOptions): Promise<BrandProviderReport[]> {
  const since = toInstant(o.since);
  const brandFilter = o.brandId === undefined ? sql`` : sql`and a.brand_id = ${o.brandId}`;
  const figures = await sql<{
    brand_id: number;
    brand: string;
    provider: string;
    competitor_id: number | null;
    name: string;
    answers: number;
    mentioned: number;
    avg_position: number | null;
    avg_sentiment: number | null;
  }>`
    select a.brand_id, b.name as brand, a.provider, m.competitor_id, m.name,
      count(*) as answers, sum(m.mentioned) as mentioned, avg(m.position) as avg_position, avg(m.sentiment) as avg_sentiment
    from answer a join answer_mention m on m.answer_id = a.id join brand b on b.id = a.brand_id
    where a.asked_at >= ${since} and a.scored_at is not null ${brandFilter}
    group by a.brand_id, b.name, a.provider, m.competitor_id, m.name
    order by b.name, a.provider, m.competitor_id is not null, m.name`.execute(db);
  const cited = await sql<{ brand_id: number; provider: string; competitor_id: number | null; answers: number }>`
    select a.brand_id, a.provider, c.competitor_id, count(distinct a.id) as answers
    from answer a join answer_citation c on c.answer_id = a.id
    where a.asked_at >= ${since} and a.scored_at is not null ${brandFilter}
      -- A removed competitor's citations keep owner 'competitor' with no id: they are no one's now, not the brand's.
      and (c.owner = 'brand' or (c.owner = 'competitor' and c.competitor_id is not null))
    group by a.brand_id, a.provider, c.competitor_id`.execute(db);
  const weeks = Math.max(1, Math.min(26, Math.ceil((o.now - o.since) / WEEK_MS)));
  const weekly = await byDialect(db, { sqlite, postgres }).weeklyBrandMentions(db, { since, now: toInstant(o.now), brandId: o.brandId });

  const citedKey = (b: number, p: string, c: number | null) => `${b}|${p}|${c ?? ""}`;
  const citedMap = new Map(cited.rows.map((r) => [citedKey(r.brand_id, r.provider, r.competitor_id), r.answers]));
  const reports = new Map<string, BrandProviderReport>();
  for (const r of figures.rows) {
    const key = `${r.brand_id}|${r.provider}`;
    const f: SubjectFigures = {
      competitorId: r.competitor_id,
      name: r.name,
      answers: r.answers,
      mentionShare: r.answers ? r.mentioned / r.answers : 0,
      avgPosition: r.avg_position === null ? null : round(r.avg_position, 2),
      avgSentiment: r.avg_sentiment === null ? null : round(r.avg_sentiment, 3),
      citationShare: r.answers ? (citedMap.get(citedKey(r.brand_id, r.provider, r.competitor_id)) ?? 0) / r.answers : 0,
    };
    let report = reports.get(key);
    if (!report) {
      report = { brandId: r.brand_id, brand: r.brand, provider: r.provider, answers: 0, brandFigures: f, competitors: [], weekly: [] };
      reports.set(key, report);
    }
    if (r.competitor_id === null) {
      report.brandFigures = f;
      report.answers = r.answers;
    } else report.competitors.push(f);
  }
  for (const report of reports.values()) {
    report.weekly = Array.from({ length: weeks }, (_, k) => {
      const ago = weeks - 1 - k;
      const w = weekly.find((x) => x.brand_id === report.brandId && x.provider === report.provider && x.week === ago);
      return { week: toInstant(o.now - ago * WEEK_MS).slice(0, 10), mentionShare: w && w.answers > 0 ? w.mentioned / w.answers : null };
    });
  }
  return [...reports.values()];
}

/** One subject's weekly figures, oldest week first (null: not mentioned, or no answers, that week). */
export interface SubjectTrend {
  competitorId: number | null;
  name: string;
  weeks: Array<{ week: string; mentionShare: number | null; avgPosition: number | null; avgSentiment: number | null }>;
}

export interface BrandTrend {
  brandId: number;
  brand: string;
  provider: string;
  /** The brand first, then its competitors by name. */
  subjects: SubjectTrend[];
}

/**
 * Per brand and provider, the weekly mention share, average position and sentiment of the brand
 * and of each competitor: `BrandProviderReport.weekly` for every subject, in the same weeks.
 */
export async function brandTrends(db: Db, o: BrandReportOptions): Promise<BrandTrend[]> {
  const weeks = Math.max(1, Math.min(26, Math.ceil((o.now - o.since) / WEEK_MS)));
  const rows = await byDialect(db, { sqlite, postgres }).weeklySubjectFigures(db, {
    since: toInstant(o.since),
    now: toInstant(o.now),
    brandId: o.brandId,
  });
  const trends = new Map<string, BrandTrend>();
  for (const r of rows) {
    const key = `${r.brand_id}|${r.provider}`;
    const t =
      trends.get(key) ??
      (trends.set(key, { brandId: r.brand_id, brand: r.brand, provider: r.provider, subjects: [] }).get(key) as BrandTrend);
    let s = t.subjects.find((x) => x.competitorId === r.competitor_id && x.name === r.name);
    if (!s) {
      s = {
        competitorId: r.competitor_id,
        name: r.name,
        weeks: Array.from({ length: weeks }, (_, k) => ({
          week: toInstant(o.now - (weeks - 1 - k) * WEEK_MS).slice(0, 10),
          mentionShare: null,
          avgPosition: null,
          avgSentiment: null,
        })),
      };
      t.subjects.push(s);
    }
    const w = s.weeks[weeks - 1 - r.week];
    if (!w) continue;
    w.mentionShare = r.answers > 0 ? r.mentioned / r.answers : null;
    w.avgPosition = r.avg_position === null ? null : round(r.avg_position, 2);
    w.avgSentiment = r.avg_sentiment === null ? null : round(r.avg_sentiment, 3);
  }
  return [...trends.values()];
}

const BARS = "▁▂▃▄▅▆▇█";

/** A terminal sparkline of shares in 0..1; a gap where there is no data. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  return values.map((v) => (v === null ? " " : BARS[Math.min(BARS.length - 1, Math.round(v * (BARS.length - 1)))])).join("");
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
