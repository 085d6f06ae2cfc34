import * as z from "zod";
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
  brand: brand.describe("brand name or id"),
  collectors: collectors.optional().describe("provider names, provider:model for another model; default: the brandCollectors setting"),
  parallel: z.number().int().min(1).max(20).default(3).describe("questions in flight at once per collector"),
  queryLimit: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe("ask at most this many of the brand's active queries, least recently asked first"),
  maxCostUsd: z.number().min(0).max(100_000).optional().describe("stop asking before the job's API spend could exceed this, in USD"),
};

export const scoreFields = {
  positionLimit: z.number().int().min(1).max(1_000_000).default(1000).describe("answers to score (positions and citations) in this run"),
  sentimentLimit: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe("of those, how many also get a sentiment; default: all of them"),
  sentimentProvider: sentimentProvider
    .optional()
    .describe("lexicon (offline) or a provider[:model]; default: the brandSentimentProvider setting"),
};

export const brandCollectPayload = z.strictObject(collectFields);
export type BrandCollectPayload = z.infer<typeof brandCollectPayload>;

export const brandScorePayload = z.strictObject({ brand: collectFields.brand, ...scoreFields });
export type BrandScorePayload = z.infer<typeof brandScorePayload>;

export const brandCollectAndScorePayload = z.strictObject({ ...collectFields, ...scoreFields });
export type BrandCollectAndScorePayload = z.infer<typeof brandCollectAndScorePayload>;
