import type { Config } from "../../config.ts";
import { UnavailableError, UsageError } from "../../errors.ts";
import type { StructuredMode } from "./types.ts";

/** How to reach a provider: which SDK, where, with which key, and how it takes JSON requests. */
export interface Endpoint {
  name: string;
  kind: "openai" | "ollama";
  baseUrl: string;
  /** The environment variable holding the key (never stored anywhere else); null: no key. */
  keyEnv: string | null;
  apiKey: string | undefined;
  modes: readonly StructuredMode[];
  maxTokensParam: "max_tokens" | "max_completion_tokens";
  defaultModel: string;
  free: boolean;
}

type Settings = Pick<
  Config,
  "ollamaHost" | "openaiBaseUrl" | "groqBaseUrl" | "geminiBaseUrl" | "claudeBaseUrl" | "perplexityBaseUrl" | "llmBaseUrl" | "llmModel"
>;
type Env = Readonly<Record<string, string | undefined>>;

const FULL: readonly StructuredMode[] = ["json_schema", "json_object", "prompt"];

/** The model a provider uses when neither the job nor the llmModel setting names one. */
export const DEFAULT_MODELS: Readonly<Record<string, string>> = {
  ollama: "llama3.2",
  openai: "gpt-4o-mini",
  groq: "llama-3.3-70b-versatile",
  gemini: "gemini-2.5-flash",
  claude: "claude-haiku-4-5",
  perplexity: "sonar",
};

/**
 * The built-in providers (plus `rules`, lead analysis' offline provider, in src/core/leads).
 * `chatgpt` is OpenAI under the seed's collector name: it asks and records as `openai`.
 */
export const BUILT_IN_PROVIDERS = ["ollama", "openai", "chatgpt", "perplexity", "groq", "gemini", "claude", "custom"] as const;

/** The variable that names an OpenAI-compatible endpoint for provider `name`: LEADJOBS_LLM_ENDPOINT_<NAME>. */
export function endpointEnvName(name: string): string {
  return `LEADJOBS_LLM_ENDPOINT_${name
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Resolves a provider name. Besides the built-ins, any OpenAI-compatible endpoint can be
 * named in the environment: LEADJOBS_LLM_ENDPOINT_PERPLEXITY=https://api.perplexity.ai makes
 * provider "perplexity", with its key in PERPLEXITY_API_KEY.
 */
export function resolveEndpoint(name: string, config: Settings, env: Env): Endpoint {
  const n = name.trim().toLowerCase();
  const key = (v: string) => (env[v] ? env[v] : undefined);
  switch (n) {
    case "ollama":
      return {
        name: n,
        kind: "ollama",
        baseUrl: config.ollamaHost,
        keyEnv: null,
        apiKey: undefined,
        modes: FULL,
        maxTokensParam: "max_tokens",
        defaultModel: DEFAULT_MODELS.ollama as string,
        free: true,
      };
    case "openai":
    case "chatgpt":
      return {
        name: "openai",
        kind: "openai",
        baseUrl: config.openaiBaseUrl,
        keyEnv: "OPENAI_API_KEY",
        apiKey: key("OPENAI_API_KEY"),
        modes: FULL,
        maxTokensParam: "max_completion_tokens",
        defaultModel: DEFAULT_MODELS.openai as string,
        free: false,
      };
    case "groq":
      return {
        name: n,
        kind: "openai",
        baseUrl: config.groqBaseUrl,
        keyEnv: "GROQ_API_KEY",
        apiKey: key("GROQ_API_KEY"),
        modes: FULL,
        maxTokensParam: "max_tokens",
        defaultModel: DEFAULT_MODELS.groq as string,
        free: false,
      };
    case "gemini":
      return {
        name: n,
        kind: "openai",
        baseUrl: config.geminiBaseUrl,
        keyEnv: "GEMINI_API_KEY",
        apiKey: key("GEMINI_API_KEY"),
        modes: FULL,
        maxTokensParam: "max_tokens",
        defaultModel: DEFAULT_MODELS.gemini as string,
        free: false,
      };
    case "perplexity":
      // Perplexity's OpenAI-compatible API; an endpoint named in the environment (the older way) still wins.
      return {
        name: n,
        kind: "openai",
        baseUrl: env[endpointEnvName(n)] ?? config.perplexityBaseUrl,
        keyEnv: "PERPLEXITY_API_KEY",
        apiKey: key("PERPLEXITY_API_KEY"),
        modes: ["json_schema", "prompt"],
        maxTokensParam: "max_tokens",
        defaultModel: DEFAULT_MODELS.perplexity as string,
        free: false,
      };
    case "claude":
      // Anthropic's OpenAI-compatible layer ignores response_format: ask in the prompt, validate.
      return {
        name: n,
        kind: "openai",
        baseUrl: config.claudeBaseUrl,
        keyEnv: "ANTHROPIC_API_KEY",
        apiKey: key("ANTHROPIC_API_KEY"),
        modes: ["prompt"],
        maxTokensParam: "max_tokens",
        defaultModel: DEFAULT_MODELS.claude as string,
        free: false,
      };
    case "custom": {
      if (!config.llmBaseUrl)
        throw new UsageError("the custom provider needs a base URL: set LEADJOBS_LLM_BASE_URL (or llmBaseUrl in the config file)");
      return {
        name: n,
        kind: "openai",
        baseUrl: config.llmBaseUrl,
        keyEnv: "LEADJOBS_LLM_API_KEY",
        apiKey: key("LEADJOBS_LLM_API_KEY") ?? "none",
        modes: FULL,
        maxTokensParam: "max_tokens",
        defaultModel: config.llmModel ?? "default",
        free: false,
      };
    }
  }
  const envName = endpointEnvName(n);
  const url = env[envName];
  if (!url)
    throw new UsageError(`unknown LLM provider "${name}"`, {
      hint: `known: rules, ${BUILT_IN_PROVIDERS.join(", ")}; or name an OpenAI-compatible endpoint with ${envName}=URL`,
    });
  const keyEnv = `${n.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY`;
  return {
    name: n,
    kind: "openai",
    baseUrl: url,
    keyEnv,
    // No key, no request: an endpoint that takes none can be given any (e.g. ACME_API_KEY=none).
    apiKey: key(keyEnv),
    modes: FULL,
    maxTokensParam: "max_tokens",
    defaultModel: config.llmModel ?? "default",
    free: false,
  };
}

/** A provider that needs a key it does not have: exit 69 with the variable to set. */
export function requireKey(e: Endpoint): string | undefined {
  if (e.kind === "ollama") return undefined;
  if (!e.apiKey) throw new UnavailableError(`${e.keyEnv} is not set: the ${e.name} provider needs an API key in the environment`);
  return e.apiKey;
}
