import { estimateCollectionCost } from "./collect-estimate.ts";
import type { CollectResult } from "./collect-run.ts";
import { checkBrandReferences, collectStep, prepareCollectors, throwProblem } from "./job-steps.ts";
import { brandCollectPayload, type BrandCollectPayload } from "./payloads.ts";
import { findBrand } from "./repository.ts";
import type { JobDefinition } from "../jobs/types.ts";

/** The result of a collection as `jobs show` and `brands collect --json` print it. */
export type BrandCollectResult = Omit<CollectResult, "problem">;

/** A collection's result: what it did, without the problem that ends the attempt. */
export function collectionSummary(r: CollectResult): BrandCollectResult {
  const { problem: _problem, ...rest } = r;
  return rest;
}

/**
 * Asks every active query of a brand through every chosen collector and stores the answers
 * (seed spec: data collection). Every provider is created before anything is asked.
 */
export const brandCollectJob: JobDefinition<BrandCollectPayload, BrandCollectResult> = {
  type: "brand.collect",
  summary: "ask a brand's active queries through AI assistants (collectors) and store their answers",
  payload: brandCollectPayload,
  checkReferences: (p, ctx) => checkBrandReferences(p, ctx),
  // Long enough for a few hundred questions at the default rates; what was stored stays, the retry asks the rest.
  timeoutMs: 60 * 60_000,
  async run(ctx) {
    const brand = await findBrand(ctx.db, String(ctx.payload.brand));
    const collectors = await prepareCollectors(ctx, ctx.payload);
    const r = await collectStep(ctx, ctx.payload, brand, collectors);
    throwProblem(r.problem);
    return { result: collectionSummary(r) };
  },
  estimateRunCost: (p) => estimateCollectionCost(p),
};
