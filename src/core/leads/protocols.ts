import * as z from "zod";
import { answerSpec } from "../integrations/llm/answer-schema.ts";
import type { JsonSchemaSpec } from "../integrations/llm/types.ts";

/**
 * Analysis protocols: what goes into the prompt, what is asked, the answer's JSON schema and
 * the token budget. All answers share a core (fit score 0-100, segment, reasons, parcel and
 * freight volume class, next step); deeper protocols ask for more and send more.
 */
export const PROTOCOL_NAMES = ["quick", "batch", "deep", "deep-pro"] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export const SEGMENTS = [
  "ecommerce",
  "retail",
  "wholesale",
  "manufacturing",
  "logistics",
  "construction",
  "food",
  "services",
  "other",
] as const;
/** Parcels a month: none, low (<100), medium (100-1,000), high (1,000-10,000), very_high (>10,000). */
export const VOLUME_CLASSES = ["none", "low", "medium", "high", "very_high"] as const;
export type Segment = (typeof SEGMENTS)[number];
export type VolumeClass = (typeof VOLUME_CLASSES)[number];

export interface Protocol {
  name: ProtocolName;
  summary: string;
  /** Leads per model call (batch sends ten in one prompt). */
  leadsPerCall: number;
  /** What the prompt carries besides the register basics (name, legal form, status, town, SNI). */
  includes: { description: boolean; address: boolean; websiteAnalysis: boolean; notes: boolean };
  questions: readonly string[];
  /** The schema of one lead's answer (zod: the JSON Schema sent and the check of the answer). */
  leadSchema: z.ZodType<LeadVerdict>;
  /** Cap on a call's output tokens. */
  maxOutputTokens: number;
  /** Typical tokens per lead, for cost estimates (schedule preview). */
  typicalInputTokens: number;
  typicalOutputTokens: number;
}

const str = (description: string) => z.string().describe(description);
const strings = (description: string, min: number, max: number) => z.array(z.string()).min(min).max(max).describe(description);

/** Every property required, no others (OpenAI's strict mode). */
const objectSchema = z.strictObject;

const CORE = {
  fit_score: z.int().min(0).max(100).describe("how well the company fits as a customer, 0-100"),
  segment: z.enum(SEGMENTS),
  reasons: strings("why, most important first", 1, 5),
  volume_class: z
    .enum(VOLUME_CLASSES)
    .describe("estimated parcels a month: none, low <100, medium 100-1000, high 1000-10000, very_high >10000"),
  next_step: str("the suggested next step for the sales team"),
};
const CORE_SCHEMA = objectSchema(CORE);

const CORE_QUESTIONS = [
  "How well does the company fit as a customer for parcel and freight services (fit_score 0-100)?",
  "Which segment is it in?",
  "What are the reasons, most important first?",
  "How many parcels or freight shipments a month does it likely send (volume_class)?",
  "What should the sales team do next?",
];

export const PROTOCOLS: Readonly<Record<ProtocolName, Protocol>> = {
  quick: {
    name: "quick",
    summary: "one lead per call, register data and industry; cheapest",
    leadsPerCall: 1,
    includes: { description: false, address: false, websiteAnalysis: false, notes: false },
    questions: CORE_QUESTIONS,
    leadSchema: objectSchema(CORE),
    maxOutputTokens: 300,
    typicalInputTokens: 450,
    typicalOutputTokens: 150,
  },
  batch: {
    name: "batch",
    summary: "ten leads per call with the quick questions; cheapest per lead for large runs",
    leadsPerCall: 10,
    includes: { description: false, address: false, websiteAnalysis: false, notes: false },
    questions: CORE_QUESTIONS,
    leadSchema: objectSchema({ orgnr: str("the organisationsnummer of the lead this result is for"), ...CORE }),
    maxOutputTokens: 2000,
    typicalInputTokens: 160,
    typicalOutputTokens: 140,
  },
  deep: {
    name: "deep",
    summary: "one lead per call with description, address and the latest website analysis",
    leadsPerCall: 1,
    includes: { description: true, address: true, websiteAnalysis: true, notes: false },
    questions: [
      ...CORE_QUESTIONS,
      "What does its shipping look like (destinations, B2C or B2B, parcels or pallets)?",
      "Which risks or obstacles are there?",
      "Which roles decide on shipping?",
    ],
    leadSchema: objectSchema({
      ...CORE,
      shipping_profile: str("what its shipping likely looks like"),
      risks: strings("risks or obstacles", 0, 3),
      decision_makers: strings("roles that decide on shipping", 0, 3),
    }),
    maxOutputTokens: 800,
    typicalInputTokens: 900,
    typicalOutputTokens: 450,
  },
  "deep-pro": {
    name: "deep-pro",
    summary: "deep, plus a pitch, questions to ask and the carriers to displace",
    leadsPerCall: 1,
    includes: { description: true, address: true, websiteAnalysis: true, notes: true },
    questions: [
      ...CORE_QUESTIONS,
      "What does its shipping look like?",
      "Which risks or obstacles are there?",
      "Which roles decide on shipping?",
      "Write a two-sentence pitch in Swedish.",
      "Which questions should the first call ask?",
      "Which carriers does it likely use today?",
    ],
    leadSchema: objectSchema({
      ...CORE,
      shipping_profile: str("what its shipping likely looks like"),
      risks: strings("risks or obstacles", 0, 3),
      decision_makers: strings("roles that decide on shipping", 0, 3),
      pitch: str("a two-sentence pitch in Swedish"),
      questions_to_ask: strings("questions for the first call", 1, 5),
      current_carriers: strings("carriers it likely uses today", 0, 5),
    }),
    maxOutputTokens: 1500,
    typicalInputTokens: 1400,
    typicalOutputTokens: 900,
  },
};

/** One call's answer: one lead's verdict, or a batch's `results` (each naming its lead). */
export type LeadAnswer = LeadVerdict | { results: Array<LeadVerdict & { orgnr: string }> };

/** The schema of one call's answer: one lead's object, or `results` for a batch. */
export function answerSchema(p: Protocol): JsonSchemaSpec<LeadAnswer> {
  if (p.leadsPerCall === 1) return answerSpec(`lead_analysis_${p.name.replace("-", "_")}`, p.leadSchema);
  const lead = p.leadSchema as z.ZodType<LeadVerdict & { orgnr: string }>;
  return answerSpec(`lead_analysis_${p.name}`, objectSchema({ results: z.array(lead).min(1).max(p.leadsPerCall) }));
}

/** The verdicts of one call's answer, in the order given. */
export function answerVerdicts(answer: LeadAnswer): Array<LeadVerdict & { orgnr?: string }> {
  return "results" in answer && Array.isArray(answer.results) ? answer.results : [answer as LeadVerdict];
}

/** The core of every answer, as stored on the lead and in the history (the deeper protocols add fields). */
export type LeadVerdict = z.output<typeof CORE_SCHEMA> & { [extra: string]: unknown };
