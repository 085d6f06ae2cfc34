import { z } from "zod";
import { PROTOCOL_NAMES } from "./protocols.ts";
import { LEAD_STATUSES } from "./schema.ts";
import { durationField } from "../jobs/duration-field.ts";

/**
 * Job payloads of lead generation, with the seed spec's field names. Validated on enqueue
 * (`jobs add`, schedules), so a bad payload is refused before anything is written.
 */

export const searchFilters = z.strictObject({
  /** SNI codes or prefixes ("4791", ["46", "47"]); words ("e-handel") are searched as text. */
  industry: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(20)]).optional(),
  /** A town or a municipality. */
  location: z.string().min(1).optional(),
  town: z.string().min(1).optional(),
  municipality: z.string().min(1).optional(),
  legal_form: z.string().min(1).max(8).optional(),
  /** Minimum known revenue in TKR. */
  min_revenue: z.number().int().min(0).optional(),
});

const search = {
  search_query: z.string().max(200).default(""),
  search_filters: searchFilters.default({}),
  /** New leads to create at most (companies that are leads already, reklamspärr or inactive are skipped). */
  max_results: z.number().int().min(10).max(500).default(50),
  /** Assign new leads by the terminal rules (default true). */
  auto_assign: z.boolean().default(true),
  /** Assign every new lead to this terminal instead (name or id). */
  assign_to_terminal: z.string().min(1).optional(),
};

const analysis = {
  analysis_protocol: z.enum(PROTOCOL_NAMES).default("quick"),
  /** rules, ollama, openai, groq, gemini, claude, custom, or an endpoint named in the environment; default: the llmProvider setting. */
  llm_provider: z.string().min(1).max(40).optional(),
  /** Default: the provider's default model. */
  model: z.string().min(1).max(100).optional(),
  /** Stop before the run's model cost could exceed this, in USD. */
  max_cost_usd: z.number().min(0).max(100_000).optional(),
};

export const leadsSearchPayload = z.strictObject(search);
export type LeadsSearchPayload = z.infer<typeof leadsSearchPayload>;

export const leadSelector = z.strictObject({
  /** Never analysed, or last analysed longer ago than this (the seed spec's re-analysis: 90d). */
  not_analysed_since: durationField.optional(),
  terminal: z.string().min(1).optional(),
  status: z.array(z.enum(LEAD_STATUSES)).min(1).optional(),
  min_score: z.number().int().min(0).max(100).optional(),
  /** At most this many leads, oldest analysis first (default 100). */
  limit: z.number().int().min(1).max(500).default(100),
});

export const leadsAnalyzePayload = z
  .strictObject({
    lead_ids: z.array(z.number().int().min(1)).min(1).max(500).optional(),
    selector: leadSelector.optional(),
    ...analysis,
  })
  .refine((p) => (p.lead_ids === undefined) !== (p.selector === undefined), { message: "give either lead_ids or selector" });
export type LeadsAnalyzePayload = z.infer<typeof leadsAnalyzePayload>;

export const leadsSearchAndAnalyzePayload = z.strictObject({ ...search, ...analysis });
export type LeadsSearchAndAnalyzePayload = z.infer<typeof leadsSearchAndAnalyzePayload>;
