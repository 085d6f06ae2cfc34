import { estimateCollectionCost } from "./collect-estimate.ts";
import { checkBrandReferences, collectStep, prepareCollectors, prepareSentiment, scoreStep, throwProblem } from "./job-steps.ts";
import { brandCollectAndScorePayload, type BrandCollectAndScorePayload } from "./payloads.ts";
import { findBrand } from "./repository.ts";
import type { ScoringMetrics } from "./scoring-run.ts";
import { collectionSummary, type BrandCollectResult } from "./job-collect.ts";
import type { JobDefinition } from "../jobs/types.ts";

/** A collection's result with what the scoring of its answers did. */
export type BrandCollectAndScoreResult = BrandCollectResult & { scoring: { sentimentScorer: string } & ScoringMetrics };

/**
 * brand.collect, then brand.score of the brand's unscored answers, as one run with combined
 * metrics (seed spec: data collection and scoring). Scoring only runs if the collection
 * succeeded: a failed collection ends the attempt the way it asks (dead, retried, back later)
 * and the answers it did get wait, unscored, for the run that completes (or `brand.score`).
 */
export const brandCollectAndScoreJob: JobDefinition<BrandCollectAndScorePayload, BrandCollectAndScoreResult> = {
  type: "brand.collect_and_score",
  summary: "brand.collect, then brand.score of what was collected, as one run",
  payload: brandCollectAndScorePayload,
  checkReferences: (p, ctx) => checkBrandReferences(p, ctx),
  timeoutMs: 90 * 60_000,
  async run(ctx) {
    const p = ctx.payload;
    const brand = await findBrand(ctx.db, String(p.brand));
    const collectors = await prepareCollectors(ctx, p);
    const scorer = await prepareSentiment(ctx, p.sentimentProvider);
    const collected = await collectStep(ctx, p, brand, collectors);
    throwProblem(collected.problem);
    const scored = await scoreStep(ctx, p, brand, scorer, collected.queries * collectors.length);
    ctx.addMetrics({ ...scored });
    return {
      result: {
        ...collectionSummary(collected),
        scoring: { sentimentScorer: scorer ? `${scorer.provider.name}/${scorer.model}` : "lexicon", ...scored },
      },
    };
  },
  estimateRunCost: (p) => estimateCollectionCost(p),
};
