import { formatUsd, parsePriceSetting, PriceTable } from "../integrations/llm/prices.ts";
import { DEFAULT_MODELS } from "../integrations/llm/endpoints.ts";
import type { RunCostEstimate } from "../jobs/types.ts";
import type { Config, Rates } from "../config.ts";
import { UsageError } from "../errors.ts";
import { didYouMean } from "../util/nearest.ts";
import { PROTOCOL_NAMES, PROTOCOLS, type ProtocolName } from "./protocols.ts";

/**
 * What one analysis run is expected to cost: leads × the protocol's typical tokens × the
 * model's price (the llmPrices setting over the built-in list prices), in US cents, not rounded; at most `max_cost_usd`
 * (the run stops there). A model without a known price has an unknown cost (null), not 0.
 * A run without a provider uses the llmProvider setting (default `rules`, free), which the
 * estimate cannot see: it says so. A protocol with a flat rate per lead (the leadRates setting)
 * gets that figure beside the token-based one.
 */
export function estimateAnalysisCost(
  p: AnalysisCostInput,
  leads: number,
  config?: Pick<Config, "leadRates" | "llmPrices">,
): RunCostEstimate {
  const tokens = tokenEstimate(p, leads, new PriceTable(parsePriceSetting(config?.llmPrices)));
  const perLeadUsd = flatLeadRate(config?.leadRates, p.analysis_protocol);
  if (perLeadUsd === undefined) return tokens;
  return {
    ...tokens,
    flat: { unit: "lead", perUnitMinor: perLeadUsd * 100, unitsPerRun: leads, source: `leadRates.${p.analysis_protocol}` },
  };
}

type AnalysisCostInput = {
  analysis_protocol: ProtocolName;
  llm_provider?: string | undefined;
  model?: string | undefined;
  max_cost_usd?: number | undefined;
};

/**
 * The configured flat price of one lead analysed with `protocol` (USD), if there is one. A key
 * that names no protocol is refused, so a misspelt rate is not silently left out.
 */
export function flatLeadRate(rates: Rates | undefined, protocol: ProtocolName): number | undefined {
  if (rates === undefined) return undefined;
  for (const key of Object.keys(rates)) {
    if (!(PROTOCOL_NAMES as readonly string[]).includes(key))
      throw new UsageError(`unknown protocol "${key}" in the leadRates setting${didYouMean(key, PROTOCOL_NAMES)}`, {
        hint: `protocols: ${PROTOCOL_NAMES.join(", ")}`,
      });
  }
  return rates[protocol];
}

/** Leads × the protocol's typical tokens × the model's price. */
function tokenEstimate(p: AnalysisCostInput, leads: number, prices: PriceTable): RunCostEstimate {
  const protocol = PROTOCOLS[p.analysis_protocol];
  const providerName = (p.llm_provider ?? "rules").toLowerCase();
  if (providerName === "rules" || providerName === "ollama") {
    return {
      amountMinor: 0,
      currency: "USD",
      basis: `${leads} leads × ${protocol.name} with ${providerName}${p.llm_provider ? "" : " (the default llmProvider)"}: no API cost`,
    };
  }
  const model = p.model ?? DEFAULT_MODELS[providerName] ?? "default";
  const price = prices.priceOf(providerName, model);
  if (!price) {
    const cap = p.max_cost_usd === undefined ? "" : ` (at most $${p.max_cost_usd}, max_cost_usd)`;
    return {
      amountMinor: null,
      currency: "USD",
      basis: `${leads} leads × ${protocol.name} on ${providerName}/${model}: unknown price (no list price known for this model; add it with the llmPrices setting)${cap}`,
    };
  }
  const perLeadMicro = protocol.typicalInputTokens * price.input + protocol.typicalOutputTokens * price.output;
  const estimatedMicro = perLeadMicro * leads;
  const capMicro = p.max_cost_usd === undefined ? Infinity : p.max_cost_usd * 1_000_000;
  const totalMicro = Math.min(estimatedMicro, capMicro);
  const capped = estimatedMicro > capMicro ? `, capped by max_cost_usd at ${formatUsd(Math.round(capMicro))}` : "";
  return {
    amountMinor: totalMicro / 10_000,
    currency: "USD",
    basis: `${leads} leads × ${protocol.name} on ${providerName}/${model} (~${protocol.typicalInputTokens} in + ${protocol.typicalOutputTokens} out tokens a lead at $${price.input}/$${price.output} per M) ≈ ${formatUsd(Math.round(estimatedMicro))}${capped}`,
  };
}
