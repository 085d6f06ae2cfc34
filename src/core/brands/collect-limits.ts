import { UsageError } from "../errors.ts";
import type { Clock } from "../types.ts";
import { RateLimiter } from "../util/rate-limiter.ts";

/** Requests per minute per provider: a default and per-provider exceptions (0: no limit). */
export interface ProviderRates {
  default: number;
  byProvider: Readonly<Record<string, number>>;
}

/** A rate setting: a default and exceptions (`60,perplexity:20`), each `key:n`; keys lowercased. */
function parseRates(setting: string, name: string, key: RegExp, example: string): { default: number; byKey: Record<string, number> } {
  const out = { default: 60, byKey: {} as Record<string, number> };
  const entry = new RegExp(`^(?:(${key.source})\\s*[:=]\\s*)?(\\d+(?:\\.\\d+)?)$`, "i");
  for (const part of setting
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = entry.exec(part);
    if (!m?.[2]) throw new UsageError(`invalid ${name} "${setting}": expected requests per minute, e.g. ${example}`);
    if (m[1]) out.byKey[m[1].toLowerCase()] = Number(m[2]);
    else out.default = Number(m[2]);
  }
  return out;
}

/** The brandProviderRpm setting: `60`, or `60,perplexity:20,ollama:0`. */
export function parseProviderRates(setting: string): ProviderRates {
  const r = parseRates(setting, "brandProviderRpm", /[a-z][a-z0-9_-]*/, "60 or 60,perplexity:20,ollama:0");
  return { default: r.default, byProvider: r.byKey };
}

export function rateFor(rates: ProviderRates, provider: string): number {
  return rates.byProvider[provider] ?? rates.default;
}

/** Requests per minute per brand: a default and exceptions by brand name or id (0: no limit). */
export interface BrandRates {
  default: number;
  byBrand: Readonly<Record<string, number>>;
}

/** The brandRpm setting: `60`, or `60,Budbee:20,7:5` (a brand by name, any case, or by id). */
export function parseBrandRates(setting: string): BrandRates {
  const r = parseRates(setting, "brandRpm", /[^,:=]*[^,:=\s]/, "60 or 60,Budbee:20");
  return { default: r.default, byBrand: r.byKey };
}

export function brandRateFor(rates: BrandRates, brand: { id: number; name: string }): number {
  return rates.byBrand[brand.name.toLowerCase()] ?? rates.byBrand[String(brand.id)] ?? rates.default;
}

/** What one collection waits for before each question: its provider's, its brand's and its customer's turn. */
export interface CollectionLimiters {
  provider: (provider: string) => RateLimiter;
  brand: RateLimiter;
  customer: RateLimiter;
}

/** The shared limiters of a brand's collection, from the brandProviderRpm, brandRpm and brandCustomerRpm settings. */
export function collectionLimiters(
  brand: { id: number; name: string; customer_id: number },
  settings: { brandProviderRpm: string; brandRpm: string; brandCustomerRpm: number },
  clock: Clock,
): CollectionLimiters {
  const providers = parseProviderRates(settings.brandProviderRpm);
  return {
    provider: (provider) => sharedLimiter(`provider:${provider}`, rateFor(providers, provider), clock),
    brand: sharedLimiter(`brand:${brand.id}`, brandRateFor(parseBrandRates(settings.brandRpm), brand), clock),
    customer: sharedLimiter(`customer:${brand.customer_id}`, settings.brandCustomerRpm, clock),
  };
}

// Shared by every collection in this process (`process --concurrency` runs several jobs at once),
// so two brands of one customer, or two jobs asking one provider, share its budget (each brand has its own).
const limiters = new Map<string, { perMinute: number; limiter: RateLimiter }>();

/** The process-wide limiter for a key (`provider:openai`, `customer:3`), recreated when its rate changes. */
export function sharedLimiter(key: string, perMinute: number, clock: Clock): RateLimiter {
  const found = limiters.get(key);
  if (found && found.perMinute === perMinute) return found.limiter;
  const limiter = new RateLimiter({ perMinute, clock });
  limiters.set(key, { perMinute, limiter });
  return limiter;
}
