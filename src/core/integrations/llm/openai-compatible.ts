import { retryAfterFromHeaders } from "../../util/retry-after.ts";
import { kindForStatus, LlmError, redactSecrets } from "./errors.ts";
import { linkedSignal } from "../../util/abort.ts";
import { timerMs } from "../../util/timer.ts";
import type { Transport, TransportCall, TransportReply } from "./transport.ts";
import type { StructuredMode } from "./types.ts";

export interface OpenAiCompatibleOptions {
  provider: string;
  baseUrl: string;
  apiKey: string;
  modes: readonly StructuredMode[];
  /** OpenAI wants max_completion_tokens; the compatible endpoints take max_tokens. */
  maxTokensParam: "max_tokens" | "max_completion_tokens";
  timeoutMs: number;
}

/**
 * OpenAI's chat completions through the `openai` SDK (loaded on first use), for OpenAI itself
 * and every compatible endpoint (Groq, Gemini, Anthropic's compatibility layer, Ollama's /v1,
 * Perplexity, ...): only the base URL and key change. The SDK's own retries are off; the
 * provider layer retries.
 */
export async function openAiCompatibleTransport(o: OpenAiCompatibleOptions): Promise<Transport> {
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({ apiKey: o.apiKey, baseURL: o.baseUrl, maxRetries: 0, timeout: timerMs(o.timeoutMs) });
  return {
    provider: o.provider,
    modes: o.modes,
    async send(call: TransportCall): Promise<TransportReply> {
      const body: Record<string, unknown> = { model: call.model, messages: call.messages };
      if (call.maxOutputTokens !== undefined) body[o.maxTokensParam] = call.maxOutputTokens;
      if (call.temperature !== undefined) body.temperature = call.temperature;
      if (call.mode === "json_schema" && call.schema)
        body.response_format = { type: "json_schema", json_schema: { name: call.schema.name, strict: true, schema: call.schema.schema } };
      if (call.mode === "json_object") body.response_format = { type: "json_object" };
      let completion: {
        model?: string;
        choices?: Array<{ message?: { content?: string | null; refusal?: string | null } }>;
        usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null;
      };
      // The SDK never removes the listener it adds to the signal: give it one of its own per call.
      const scoped = call.signal ? linkedSignal(call.signal) : undefined;
      try {
        completion = (await client.chat.completions.create(
          body as never,
          scoped ? { signal: scoped.signal } : undefined,
        )) as typeof completion;
      } catch (e) {
        throw toLlmError(e, o);
      } finally {
        scoped?.release();
      }
      const message = completion?.choices?.[0]?.message;
      if (!message) throw new LlmError(`${o.provider}: the answer had no message`, { kind: "invalid_output", provider: o.provider });
      if (message.refusal) throw new LlmError(`the model refused: ${message.refusal}`, { kind: "invalid_output", provider: o.provider });
      const u = completion?.usage ?? {};
      const input = u.prompt_tokens ?? 0;
      // Gemini's thinking models count thought tokens in total_tokens but not always in completion_tokens.
      const output = Math.max(u.completion_tokens ?? 0, (u.total_tokens ?? 0) - input);
      return { text: message?.content ?? "", usage: { inputTokens: input, outputTokens: output }, model: completion.model ?? call.model };
    },
  };
}

function toLlmError(e: unknown, o: OpenAiCompatibleOptions): LlmError {
  const err = e as { name?: string; status?: number; headers?: { get(n: string): string | null }; message?: string };
  const message = redactSecrets(err.message ?? String(e), [o.apiKey]);
  const name = (e as object | null)?.constructor?.name ?? err.name ?? ""; // the SDK's classes do not set .name
  if (name === "APIUserAbortError" || name === "AbortError")
    return new LlmError(`${o.provider}: request aborted`, { kind: "aborted", provider: o.provider, cause: e });
  if (name === "APIConnectionTimeoutError")
    return new LlmError(`${o.provider}: timed out after ${o.timeoutMs} ms`, { kind: "timeout", provider: o.provider, cause: e });
  // A success whose body is not JSON (empty, cut off, an HTML page from a proxy): an answer that
  // cannot be read is a failed answer, not a passing network fault.
  if (e instanceof SyntaxError)
    return new LlmError(`${o.provider}: the answer could not be parsed (${message})`, {
      kind: "invalid_output",
      provider: o.provider,
      cause: e,
    });
  if (typeof err.status === "number") {
    return new LlmError(`${o.provider}: ${message}`, {
      kind: kindForStatus(err.status),
      provider: o.provider,
      status: err.status,
      retryAfterMs: retryAfterFromHeaders(err.headers, Date.now()),
      cause: e,
    });
  }
  if (name === "APIConnectionError")
    return new LlmError(`${o.provider}: cannot reach ${o.baseUrl} (${message})`, { kind: "transient", provider: o.provider, cause: e });
  return new LlmError(`${o.provider}: ${message}`, { kind: "transient", provider: o.provider, cause: e });
}
