import { DEFAULT_MODELS } from "../integrations/llm/endpoints.ts";
import { formatUsd, PriceTable } from "../integrations/llm/prices.ts";
import type { RunCostEstimate } from "../jobs/types.ts";
import { parseCollector, parseCollectors, type CollectorSpec } from "./collectors.ts";

/** A buying question is short; assistants answer it in a few hundred words. */
export const TYPICAL_QUESTION_TOKENS = 30;
export const TYPICAL_ANSWER_TOKENS = 600;
/** Scoring one answer's sentiment through a model: the answer and the instructions in, a few numbers out. */
const SENTIMENT_TOKENS = { input: TYPICAL_ANSWER_TOKENS + 120, output: 40 };

interface Priced {
  label: string;
  /** null: no list price known; 0 for local providers. */
  price: { input: number; output: number } | null;
}

function priced(s: CollectorSpec, prices: PriceTable): Priced {
  const model = s.model ?? DEFAULT_MODELS[s.provider];
  const label = `${s.provider}/${model ?? "default"}`;
  if (s.provider === "ollama") return { label, price: { input: 0, output: 0 } };
  return { label, price: model ? prices.priceOf(s.provider, model) : null };
}

/**
 * What one collection run is expected to cost: queries × collectors × typical tokens × the
 * models' list prices (built-in price table), in US cents, not rounded; unknown (null) when a
 * model's price is unknown. The payload does not say
 * how many active queries the brand has: without `queryLimit` the figure is per query, and the
 * basis says so. Collectors left to the brandCollectors setting cannot be seen here either.
 */
export function estimateCollectionCost(p: {
  collectors?: string | string[] | undefined;
  queryLimit?: number | undefined;
  maxCostUsd?: number | undefined;
  sentimentProvider?: string | undefined;
}): RunCostEstimate {
  const queries = p.queryLimit ?? 1;
  const perWhat =
    p.queryLimit !== undefined ? `${p.queryLimit} queries` : "per active query of the brand (the estimate does not know how many it has)";
  if (p.collectors === undefined) {
    return {
      amountMinor: 0,
      currency: "USD",
      basis: `${perWhat}: the collectors come from the brandCollectors setting, which the estimate cannot see`,
    };
  }
  const prices = new PriceTable();
  const collectors = parseCollectors(p.collectors).map((s) => priced(s, prices));
  const perAnswer = (x: Priced) => (x.price ? TYPICAL_QUESTION_TOKENS * x.price.input + TYPICAL_ANSWER_TOKENS * x.price.output : 0);
  let perQuery = collectors.reduce((sum, c) => sum + perAnswer(c), 0);
  const notes: string[] = [];
  const unknown = collectors.filter((c) => c.price === null).map((c) => c.label);
  if (unknown.length > 0) notes.push(`no list price known for ${unknown.join(", ")}: unknown price`);
  const scorerName = p.sentimentProvider?.trim().toLowerCase();
  if (scorerName !== undefined && scorerName !== "lexicon") {
    const scorer = priced(parseCollector(scorerName), prices);
    if (scorer.price)
      perQuery += collectors.length * (SENTIMENT_TOKENS.input * scorer.price.input + SENTIMENT_TOKENS.output * scorer.price.output);
    else {
      notes.push(`no list price known for the sentiment model ${scorer.label}: unknown price`);
      unknown.push(scorer.label);
    }
  }
  let totalMicro = perQuery * queries;
  if (p.maxCostUsd !== undefined && p.queryLimit !== undefined && totalMicro > p.maxCostUsd * 1_000_000) {
    totalMicro = p.maxCostUsd * 1_000_000;
    notes.push("capped by maxCostUsd");
  }
  const basis = `${perWhat} × ${collectors.map((c) => c.label).join(", ")} (~${TYPICAL_QUESTION_TOKENS} in + ~${TYPICAL_ANSWER_TOKENS} out tokens an answer${scorerName && scorerName !== "lexicon" ? `, plus sentiment by ${scorerName}` : ""}) ≈ ${formatUsd(Math.round(totalMicro))}${unknown.length > 0 ? " for the priced ones" : ""}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`;
  return { amountMinor: unknown.length > 0 ? null : totalMicro / 10_000, currency: "USD", basis };
}
