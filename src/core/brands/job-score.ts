import { checkBrandReferences, prepareSentiment, scoreStep } from "./job-steps.ts";
import { brandScorePayload, type BrandScorePayload } from "./payloads.ts";
import { findBrand } from "./repository.ts";
import type { ScoringMetrics } from "./scoring-run.ts";
import type { JobDefinition } from "../jobs/types.ts";

/** What a scoring run did: the scorer used ("lexicon", or provider/model) and its counts. */
export type BrandScoreResult = { brand: string; sentimentScorer: string } & ScoringMetrics;

/** Scores stored AI answers of a brand: positions, sentiment (offline lexicon, or a provider) and citations. */
export const brandScoreJob: JobDefinition<BrandScorePayload, BrandScoreResult> = {
  type: "brand.score",
  summary: "score a brand's stored AI answers: position, sentiment and citations of the brand and its competitors",
  timeoutMs: 60 * 60_000,
  payload: brandScorePayload,
  checkReferences: (p, ctx) => checkBrandReferences(p, ctx),
  async run(ctx) {
    const brand = await findBrand(ctx.db, String(ctx.payload.brand));
    const scorer = await prepareSentiment(ctx, ctx.payload.sentimentProvider);
    const metrics = await scoreStep(ctx, ctx.payload, brand, scorer);
    return {
      result: { brand: brand.name, sentimentScorer: scorer ? `${scorer.provider.name}/${scorer.model}` : "lexicon", ...metrics },
      metrics: { ...metrics },
    };
  },
};
