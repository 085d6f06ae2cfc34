import type { BrandRow } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { parseList } from "./repository.ts";
import { byDialect } from "../db/dialect.ts";
import * as postgres from "./scoring-run.postgres.ts";
import * as sqlite from "./scoring-run.sqlite.ts";
import { scoreAnswer, type AnswerScore, type ScoringTarget } from "./score-answer.ts";
import { llmSentiment, scorerName, type LlmSentimentScorer } from "./sentiment-llm.ts";

export interface ScoringLimits {
  /** Answers to score (positions and citations) in this run. */
  positionLimit: number;
  /** Of those, how many also get a sentiment. */
  sentimentLimit: number;
}

export interface ScoringMetrics {
  answers_scored: number;
  brand_mentioned: number;
  competitor_mentions: number;
  sentiment_scored: number;
  citations: number;
  own_citations: number;
}

/** Sentiment through a chat model instead of the lexicon (the lexicon stays the fallback). */
export interface LlmSentimentOptions {
  scorer: LlmSentimentScorer;
  signal: AbortSignal;
  /** The model calls' spend, as it happens. */
  addMetrics: (m: Record<string, number>) => void;
}

export async function scoringTarget(db: Db, brand: BrandRow): Promise<ScoringTarget> {
  const competitors = await db.selectFrom("competitor").selectAll().where("brand_id", "=", brand.id).orderBy("id").execute();
  return {
    brand: { competitorId: null, name: brand.name, aliases: parseList(brand.aliases), domains: parseList(brand.domains) },
    competitors: competitors.map((c) => ({
      competitorId: c.id,
      name: c.name,
      aliases: parseList(c.aliases),
      domains: parseList(c.domains),
    })),
  };
}

const CHUNK = 250;
const LLM_CHUNK = 10;

/**
 * Scores a brand's unscored answers, oldest first, up to the limits, in chunks of one
 * transaction each. Re-scoring an answer replaces its mentions and citations, so a retried
 * run never double-counts. `onChunk` reports progress and may throw to stop (abort). With `llm`,
 * mentioned subjects get the model's sentiment (scorer `provider/model`), else the lexicon's.
 */
export async function scoreUnscoredAnswers(
  db: Db,
  brand: BrandRow,
  limits: ScoringLimits,
  now: () => number,
  onChunk: (done: number, total: number) => void,
  llm?: LlmSentimentOptions,
): Promise<ScoringMetrics> {
  const target = await scoringTarget(db, brand);
  const metrics: ScoringMetrics = {
    answers_scored: 0,
    brand_mentioned: 0,
    competitor_mentions: 0,
    sentiment_scored: 0,
    citations: 0,
    own_citations: 0,
  };
  const ids = (
    await db
      .selectFrom("answer")
      .select("id")
      .where("brand_id", "=", brand.id)
      .where("scored_at", "is", null)
      .orderBy("id")
      .limit(limits.positionLimit)
      .execute()
  ).map((r) => r.id);
  // Model calls are slow: commit every few answers, so an interrupted run keeps what it paid for.
  const size = llm ? LLM_CHUNK : CHUNK;
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    const answers = await db.selectFrom("answer").select(["id", "text"]).where("id", "in", chunk).orderBy("id").execute();
    const stamp = toInstant(now());
    const mentions: Array<Record<string, unknown>> = [];
    const cites: Array<Record<string, unknown>> = [];
    const sentimentIds: number[] = [];
    const scores = answers.map((a, k) => {
      const withSentiment = metrics.answers_scored + k < limits.sentimentLimit;
      if (withSentiment) sentimentIds.push(a.id);
      return { withSentiment, score: scoreAnswer(a.text, target, withSentiment), scorers: new Map<unknown, string>() };
    });
    if (llm) {
      for (const [k, a] of answers.entries()) {
        const sc = scores[k];
        llm.signal.throwIfAborted();
        if (sc?.withSentiment) await scoreWithModel(a.text, sc.score, sc.scorers, llm);
      }
    }
    answers.forEach((a, k) => {
      const { score, scorers } = scores[k] as (typeof scores)[number];
      for (const s of score.subjects) {
        if (s.subject.competitorId === null && s.mentioned) metrics.brand_mentioned++;
        if (s.subject.competitorId !== null && s.mentioned) metrics.competitor_mentions++;
        mentions.push({
          answer_id: a.id,
          competitor_id: s.subject.competitorId,
          name: s.subject.name,
          mentioned: s.mentioned ? 1 : 0,
          position: s.position,
          position_kind: s.kind,
          first_offset: s.firstOffset,
          sentiment: s.sentiment?.score ?? null,
          sentiment_label: s.sentiment?.label ?? null,
          sentiment_scorer: s.sentiment ? (scorers.get(s) ?? "lexicon") : null,
        });
      }
      for (const c of score.citations) {
        cites.push({ answer_id: a.id, url: c.url, domain: c.domain, owner: c.owner, competitor_id: c.competitorId });
        metrics.citations++;
        if (c.owner === "brand") metrics.own_citations++;
      }
    });
    await immediate(db, async (trx) => {
      await trx.deleteFrom("answer_mention").where("answer_id", "in", chunk).execute();
      await trx.deleteFrom("answer_citation").where("answer_id", "in", chunk).execute();
      await byDialect(trx, { sqlite, postgres }).insertMentions(trx, mentions);
      if (cites.length > 0) await byDialect(trx, { sqlite, postgres }).insertCitations(trx, cites);
      await trx.updateTable("answer").set({ scored_at: stamp }).where("id", "in", chunk).execute();
      if (sentimentIds.length > 0)
        await trx.updateTable("answer").set({ sentiment_scored_at: stamp }).where("id", "in", sentimentIds).execute();
    });
    metrics.answers_scored += answers.length;
    metrics.sentiment_scored += sentimentIds.length;
    onChunk(metrics.answers_scored, ids.length);
  }
  return metrics;
}

/** Replaces the lexicon's sentiments of an answer's mentioned subjects with the model's, where it gave one. */
async function scoreWithModel(text: string, score: AnswerScore, scorers: Map<unknown, string>, llm: LlmSentimentOptions): Promise<void> {
  const mentioned = score.subjects.filter((s) => s.mentioned);
  if (mentioned.length === 0) return;
  const r = await llmSentiment(
    llm.scorer,
    text,
    mentioned.map((s) => s.subject),
    llm.signal,
  );
  llm.addMetrics({
    sentiment_tokens_in: r.inputTokens,
    sentiment_tokens_out: r.outputTokens,
    sentiment_cost_microusd: r.costMicroUsd,
    ...(r.sentiments ? {} : { sentiment_fallbacks: 1 }),
  });
  if (!r.sentiments) return;
  const name = scorerName(llm.scorer);
  for (const s of mentioned) {
    const v = r.sentiments.get(s.subject);
    if (!v) continue;
    s.sentiment = v;
    scorers.set(s, name);
  }
}
