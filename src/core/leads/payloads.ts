import * as z from "zod";
import { PROTOCOL_NAMES } from "./protocols.ts";
import { LEAD_STATUSES } from "./schema.ts";
import { durationField } from "../jobs/duration-field.ts";

/**
 * Job payloads of lead generation, with the seed spec's field names. Validated on enqueue
 * (`jobs add`, schedules), so a bad payload is refused before anything is written.
 */

export const searchFilters = z.strictObject({
  industry: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(20)])
    .optional()
    .describe('SNI codes or prefixes ("4791", ["46", "47"]); words ("e-handel") are searched as text'),
  location: z.string().min(1).optional().describe("a town or a municipality"),
  town: z.string().min(1).optional().describe("a town"),
  municipality: z.string().min(1).optional().describe("a municipality"),
  legal_form: z.string().min(1).max(8).optional().describe("legal form code, e.g. AB"),
  min_revenue: z.number().int().min(0).optional().describe("minimum known revenue in TKR"),
});

const search = {
  search_query: z.string().max(200).default("").describe("words, as in companies search"),
  search_filters: searchFilters.default({}).describe("narrow the search"),
  max_results: z
    .number()
    .int()
    .min(10)
    .max(500)
    .default(50)
    .describe("new leads to create at most (companies that are leads already, have reklamspärr or are inactive are skipped)"),
  auto_assign: z.boolean().default(true).describe("assign new leads by the terminal rules"),
  assign_to_terminal: z.string().min(1).optional().describe("assign every new lead to this terminal instead (name or id)"),
};

const analysis = {
  analysis_protocol: z.enum(PROTOCOL_NAMES).default("quick").describe("what is asked and sent: quick, batch, deep, deep-pro"),
  llm_provider: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe(
      "rules, ollama, openai, groq, gemini, claude, custom, or an endpoint named in the environment; default: the llmProvider setting",
    ),
  model: z.string().min(1).max(100).optional().describe("default: the provider's default model"),
  max_cost_usd: z.number().min(0).max(100_000).optional().describe("stop before the run's model cost could exceed this, in USD"),
};

export const leadsSearchPayload = z.strictObject(search);
export type LeadsSearchPayload = z.infer<typeof leadsSearchPayload>;

export const leadSelector = z.strictObject({
  not_analysed_since: durationField.optional().describe("never analysed, or last analysed longer ago than this (90d)"),
  terminal: z.string().min(1).optional().describe("leads of this terminal (name, id or a unique prefix)"),
  status: z.array(z.enum(LEAD_STATUSES)).min(1).optional().describe("leads in these statuses"),
  min_score: z.number().int().min(0).max(100).optional().describe("leads scored at least this"),
  limit: z.number().int().min(1).max(500).default(100).describe("at most this many leads, oldest analysis first"),
});

export const leadsAnalyzePayload = z
  .strictObject({
    lead_ids: z.array(z.number().int().min(1)).min(1).max(500).optional().describe("leads by id (or give selector)"),
    selector: leadSelector.optional().describe("leads picked by a rule (or give lead_ids)"),
    ...analysis,
  })
  .refine((p) => (p.lead_ids === undefined) !== (p.selector === undefined), { message: "give either lead_ids or selector" });
export type LeadsAnalyzePayload = z.infer<typeof leadsAnalyzePayload>;

export const leadsSearchAndAnalyzePayload = z.strictObject({ ...search, ...analysis });
export type LeadsSearchAndAnalyzePayload = z.infer<typeof leadsSearchAndAnalyzePayload>;
