import { SETTINGS, type Config } from "../../config.ts";
import { UsageError } from "../../errors.ts";
import { didYouMean } from "../../util/nearest.ts";
import { resolveEndpoint } from "./endpoints.ts";
import { parsePriceSetting, PriceTable } from "./prices.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The hosted providers whose models we know (the price table), while they use their own API. */
const OFFICIAL_URL = { openai: "openaiBaseUrl", groq: "groqBaseUrl", gemini: "geminiBaseUrl", claude: "claudeBaseUrl" } as const;

/**
 * Refuses (UsageError) a provider that does not exist and, on a hosted provider's own API, a
 * model it does not have: the known set is the price table (built in, plus `llmPrices`). A
 * provider pointed elsewhere (a proxy, a compatible server), ollama, custom or a named endpoint
 * may serve any model. A missing key is not checked here: the worker's environment has it.
 */
export function checkProviderAndModel(
  provider: string,
  model: string | undefined,
  config: Config,
  env: Env,
  fields = { provider: "provider", model: "model" },
): void {
  let endpoint: ReturnType<typeof resolveEndpoint>;
  try {
    endpoint = resolveEndpoint(provider, config, env);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${fields.provider}: ${e.message}`, e.hint ? { hint: e.hint } : {});
    throw e;
  }
  if (model === undefined) return;
  const setting = OFFICIAL_URL[endpoint.name as keyof typeof OFFICIAL_URL] as keyof typeof SETTINGS | undefined;
  if (setting === undefined || config[setting] !== SETTINGS[setting].default) return;
  const prices = new PriceTable(parsePriceSetting(config.llmPrices));
  if (prices.priceOf(endpoint.name, model) !== null) return;
  throw new UsageError(`${fields.model}: unknown ${endpoint.name} model "${model}"${didYouMean(model, prices.models())}`, {
    hint: "a new model needs its price in the llmPrices setting",
  });
}
