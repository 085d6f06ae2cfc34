import type { Config } from "../../config.ts";
import { resolveEndpoint, requireKey } from "./endpoints.ts";
import type { RetryOptions } from "./transport.ts";
import { TransportProvider } from "./transport.ts";
import type { LlmProvider } from "./types.ts";

export interface ProviderDeps {
  config: Config;
  env: Readonly<Record<string, string | undefined>>;
  /** Test and job hooks for the retry loop (sleep, random); counts come from config. */
  retry?: Partial<RetryOptions> | undefined;
}

/**
 * A chat provider by name: ollama, openai, groq, gemini, claude, custom, or an endpoint named
 * in the environment (see endpoints.ts). Its SDK is imported here, on first use only. A missing
 * API key is an UnavailableError (exit 69) naming the variable.
 */
export async function createLlmProvider(name: string, deps: ProviderDeps): Promise<LlmProvider> {
  const endpoint = resolveEndpoint(name, deps.config, deps.env);
  const apiKey = requireKey(endpoint);
  const retry = { maxRetries: deps.config.llmMaxRetries, ...deps.retry };
  if (endpoint.kind === "ollama") {
    const { ollamaTransport } = await import("./ollama.ts");
    return new TransportProvider(await ollamaTransport({ host: endpoint.baseUrl, timeoutMs: deps.config.llmTimeout }), {
      defaultModel: endpoint.defaultModel,
      free: true,
      retry,
    });
  }
  const { openAiCompatibleTransport } = await import("./openai-compatible.ts");
  const transport = await openAiCompatibleTransport({
    provider: endpoint.name,
    baseUrl: endpoint.baseUrl,
    apiKey: apiKey ?? "none",
    modes: endpoint.modes,
    maxTokensParam: endpoint.maxTokensParam,
    timeoutMs: deps.config.llmTimeout,
  });
  return new TransportProvider(transport, { defaultModel: endpoint.defaultModel, free: endpoint.free, retry });
}
