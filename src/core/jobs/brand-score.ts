import { z } from "zod";
import { findBrand } from "../brands/repository.ts";
import { scoreUnscoredAnswers } from "../brands/scoring-run.ts";
import type { JobDefinition } from "./types.ts";

export const brandScorePayload = z.strictObject({
  /** Brand name or id. */
  brand: z.union([z.string().min(1), z.number().int().positive()]),
  positionLimit: z.number().int().min(1).max(1_000_000).default(1000),
  sentimentLimit: z.number().int().min(0).max(1_000_000).optional(),
});

/** Scores stored AI answers of a brand: positions, sentiment (offline lexicon) and citations. */
export const brandScoreJob: JobDefinition<z.infer<typeof brandScorePayload>> = {
  type: "brand.score",
  summary: "score a brand's stored AI answers: position, sentiment and citations of the brand and its competitors",
  payload: brandScorePayload,
  async run(ctx) {
    const brand = await findBrand(ctx.db, String(ctx.payload.brand));
    const limits = { positionLimit: ctx.payload.positionLimit, sentimentLimit: ctx.payload.sentimentLimit ?? ctx.payload.positionLimit };
    const metrics = await scoreUnscoredAnswers(ctx.db, brand, limits, ctx.now, (done, total) => {
      ctx.progress({ done, total, message: `scored ${done} of ${total} answers` });
      ctx.signal.throwIfAborted();
    });
    return { result: { brand: brand.name, ...metrics }, metrics: { ...metrics } };
  },
};
