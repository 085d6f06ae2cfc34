import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.ts";
import { parseJsonText } from "../../util/json-text.ts";
import type { ChatUsage } from "./types.ts";

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices (USD per million tokens, input/output) of common models, as published in 2025.
 * They change: override or extend them with the `llmPrices` setting (a JSON file or inline
 * JSON: {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}). Local providers (ollama, rules) cost 0.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5": { input: 1.25, output: 10 },
  "llama-3.1-8b-instant": { input: 0.05, output: 0.08 },
  "llama-3.3-70b-versatile": { input: 0.59, output: 0.79 },
  "openai/gpt-oss-20b": { input: 0.075, output: 0.3 },
  "openai/gpt-oss-120b": { input: 0.15, output: 0.6 },
  "gemini-2.0-flash": { input: 0.1, output: 0.4 },
  "gemini-2.5-flash-lite": { input: 0.1, output: 0.4 },
  "gemini-2.5-flash": { input: 0.3, output: 2.5 },
  "gemini-2.5-pro": { input: 1.25, output: 10 },
  "claude-3-5-haiku-latest": { input: 0.8, output: 4 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-opus-4-1": { input: 15, output: 75 },
};

export class PriceTable {
  private readonly prices: Record<string, ModelPrice>;
  constructor(overrides: Record<string, ModelPrice> = {}) {
    this.prices = { ...DEFAULT_PRICES, ...overrides };
  }

  /** The models with a price (names as written in the table). */
  models(): string[] {
    return Object.keys(this.prices).map((k) => k.slice(k.indexOf("/") + 1));
  }

  /**
   * The price of a model: `provider/model` or `model` exactly, else the longest known name the
   * model starts with ("gpt-4o-mini-2024-07-18" -> gpt-4o-mini). null when unknown.
   */
  priceOf(provider: string, model: string, free = false): ModelPrice | null {
    if (free) return { input: 0, output: 0 };
    const exact = this.prices[`${provider}/${model}`] ?? this.prices[model];
    if (exact) return exact;
    const prefix = Object.keys(this.prices)
      .filter((k) => model.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    return prefix ? (this.prices[prefix] as ModelPrice) : null;
  }
}

/** Cost in micro-dollars (USD × 1,000,000): tokens × USD per million tokens. */
export function costMicroUsd(price: ModelPrice, usage: ChatUsage): number {
  return Math.round(usage.inputTokens * price.input + usage.outputTokens * price.output);
}

/** "$0.0123" (micro-dollars to dollars, 4 decimals; "$0" for nothing). */
export function formatUsd(micro: number | null | undefined): string {
  if (!micro) return "$0";
  const usd = micro / 1_000_000;
  return `$${usd >= 100 ? usd.toFixed(0) : usd >= 1 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

/** The `llmPrices` setting: inline JSON or a JSON file; {"model": {"input": n, "output": n}} or {"model": [in, out]}. */
export function parsePriceSetting(setting: string | undefined): Record<string, ModelPrice> {
  if (!setting) return {};
  let text = setting.trim();
  if (!text.startsWith("{")) {
    try {
      text = readFileSync(text, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read the llmPrices file ${setting}: ${(e as Error).message}`);
    }
  }
  const raw = parseJsonText(text, "llmPrices");
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new UsageError("llmPrices must be a JSON object of model -> price");
  const out: Record<string, ModelPrice> = {};
  for (const [model, v] of Object.entries(raw)) {
    const pair = Array.isArray(v) ? { input: v[0], output: v[1] } : (v as Record<string, unknown> | null);
    const input = Number(pair?.input);
    const output = Number(pair?.output);
    if (!Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) {
      throw new UsageError(`llmPrices: the price of "${model}" must be {"input": USD, "output": USD} per million tokens`);
    }
    out[model] = { input, output };
  }
  return out;
}
