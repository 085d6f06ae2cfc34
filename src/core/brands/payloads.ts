import { z } from "zod";
import { parseCollector, parseCollectors } from "./collectors.ts";

/**
 * Payloads of the brand job types, with the seed spec's names (`collectors`, `parallel`,
 * `positionLimit`, `sentimentLimit`). Validated on enqueue, so a bad schedule fails at `add`.
 */
const brand = z.union([z.string().min(1), z.number().int().positive()]);

const collectors = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).superRefine((v, ctx) => {
  try {
    parseCollectors(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

/** `lexicon`, or a provider (optionally `provider:model`) asked for JSON sentiment. */
const sentimentProvider = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    if (v.trim().toLowerCase() === "lexicon") return;
    try {
      parseCollector(v);
    } catch {
      ctx.addIssue({ code: "custom", message: `expected "lexicon" or a provider name, optionally with :model (e.g. openai:gpt-4o-mini)` });
    }
  });

export const collectFields = {
  /** Brand name or id. */
  brand,
  /** Provider names, `provider:model` for another model; default: the brandCollectors setting. */
  collectors: collectors.optional(),
  /** Questions in flight at once per collector. */
  parallel: z.number().int().min(1).max(20).default(3),
  /** Ask at most this many of the brand's active queries (least recently asked first). */
  queryLimit: z.number().int().min(1).max(100_000).optional(),
  /** Stop asking before the job's API spend could exceed this (USD). */
  maxCostUsd: z.number().min(0).max(100_000).optional(),
};

export const scoreFields = {
  positionLimit: z.number().int().min(1).max(1_000_000).default(1000),
  sentimentLimit: z.number().int().min(0).max(1_000_000).optional(),
  /** `lexicon` (offline) or a provider; default: the brandSentimentProvider setting. */
  sentimentProvider: sentimentProvider.optional(),
};

export const brandCollectPayload = z.strictObject(collectFields);
export type BrandCollectPayload = z.infer<typeof brandCollectPayload>;

export const brandScorePayload = z.strictObject({ brand, ...scoreFields });
export type BrandScorePayload = z.infer<typeof brandScorePayload>;

export const brandCollectAndScorePayload = z.strictObject({ ...collectFields, ...scoreFields });
export type BrandCollectAndScorePayload = z.infer<typeof brandCollectAndScorePayload>;
