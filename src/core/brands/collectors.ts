import type { Config } from "../config.ts";
import { LeadjobsError, UnavailableError, UsageError } from "../errors.ts";
import { BUILT_IN_PROVIDERS, endpointEnvName, requireKey, resolveEndpoint } from "../integrations/llm/endpoints.ts";
import { parsePriceSetting, PriceTable, type ModelPrice } from "../integrations/llm/prices.ts";
import { createLlmProvider } from "../integrations/llm/registry.ts";
import { parseBrandRates, parseProviderRates } from "./collect-limits.ts";
import type { RetryOptions } from "../integrations/llm/transport.ts";
import type { LlmProvider } from "../integrations/llm/types.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** A collector as named in a payload or the brandCollectors setting: `provider` or `provider:model`. */
export interface CollectorSpec {
  provider: string;
  /** undefined: the provider's default model. */
  model: string | undefined;
}

const SPEC = /^([a-z][a-z0-9_-]*)(?::(.+))?$/i;

/** `openai`, `ollama:llama3.1:8b` (the model is everything after the first colon). */
export function parseCollector(text: string): CollectorSpec {
  const m = SPEC.exec(text.trim());
  if (!m?.[1])
    throw new UsageError(`invalid collector "${text}": expected a provider name, optionally with :model (e.g. openai:gpt-4o-mini)`);
  const model = m[2]?.trim();
  return { provider: m[1].toLowerCase(), model: model ? model : undefined };
}

/** A comma list or an array of collector names; duplicates dropped, order kept. */
export function parseCollectors(list: string | readonly string[]): CollectorSpec[] {
  const items = (typeof list === "string" ? list.split(",") : list.flatMap((x) => x.split(","))).map((x) => x.trim()).filter(Boolean);
  const specs = items.map(parseCollector);
  return specs.filter((s, i) => specs.findIndex((o) => o.provider === s.provider && o.model === s.model) === i);
}

/** The payload's collectors, else the brandCollectors setting; none at all is "no collector configured" (exit 69). */
export function chosenCollectors(payload: readonly string[] | undefined, config: Pick<Config, "brandCollectors">): CollectorSpec[] {
  const specs = payload !== undefined && payload.length > 0 ? parseCollectors(payload) : parseCollectors(config.brandCollectors ?? "");
  if (specs.length === 0) {
    throw new UnavailableError(
      "no collector configured: name AI providers to ask with --collectors (payload `collectors`) or the brandCollectors setting (LEADJOBS_BRAND_COLLECTORS=openai,perplexity)",
    );
  }
  return specs;
}

/**
 * Checks collectors without loading an SDK or touching the database: every provider is known
 * (exit 2) and has its key (exit 69). Direct commands call this before writing anything.
 */
export function checkCollectors(specs: readonly CollectorSpec[], config: Config, env: Env): void {
  parseProviderRates(config.brandProviderRpm);
  parseBrandRates(config.brandRpm);
  for (const s of specs) {
    assertKnownCollector(s.provider, env);
    requireKey(resolveEndpoint(s.provider, config, env));
  }
}

/** An unknown collector name: one line naming the known ones (exit 2). */
export function assertKnownCollector(provider: string, env: Env): void {
  if ((BUILT_IN_PROVIDERS as readonly string[]).includes(provider) || env[endpointEnvName(provider)]) return;
  throw new UsageError(
    `unknown collector "${provider}": known are ${BUILT_IN_PROVIDERS.join(", ")}, or an OpenAI-compatible endpoint named with ${endpointEnvName(provider)}=URL`,
  );
}

/** A ready collector: its provider client, the model it asks and that model's price. */
export interface Collector {
  /** `provider/model`: part of every answer's run key. */
  key: string;
  provider: LlmProvider;
  model: string;
  /** null: unknown (cost recorded as 0). Free providers have a zero price. */
  price: ModelPrice | null;
}

export interface CollectorDeps {
  config: Config;
  env: Env;
  /** The provider layer's retry hook, per provider (the collection's lanes back off through it). */
  retryFor?: (provider: string) => Partial<RetryOptions> | undefined;
}

/** Creates every collector's provider before anything is asked: an unknown provider or a missing key fails here. */
export async function createCollectors(specs: readonly CollectorSpec[], deps: CollectorDeps): Promise<Collector[]> {
  const prices = new PriceTable(parsePriceSetting(deps.config.llmPrices));
  const out: Collector[] = [];
  for (const s of specs) {
    assertKnownCollector(s.provider, deps.env);
    const provider = await createLlmProvider(s.provider, { config: deps.config, env: deps.env, retry: deps.retryFor?.(s.provider) });
    const model = s.model ?? provider.defaultModel;
    out.push({ key: `${provider.name}/${model}`, provider, model, price: prices.priceOf(provider.name, model, provider.free) });
  }
  return out.filter((c, i) => out.findIndex((o) => o.key === c.key) === i);
}

/** A setup error (unknown provider, missing key, bad price setting) as a job error: a retry cannot fix it. */
export function setupErrorMessage(e: unknown): string | null {
  return e instanceof LeadjobsError ? e.message + (e.hint ? ` (${e.hint})` : "") : null;
}
