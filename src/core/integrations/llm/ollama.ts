import { retryAfterFromHeaders } from "../../util/retry-after.ts";
import { kindForStatus, LlmError } from "./errors.ts";
import type { Transport, TransportCall, TransportReply } from "./transport.ts";
import { timeoutSignal } from "../../util/timer.ts";

export interface OllamaOptions {
  host: string;
  timeoutMs: number;
}

/**
 * Ollama's native /api/chat through the `ollama` SDK (loaded on first use). The SDK sends no
 * abort signal for non-streamed calls and writes to the console on some errors, so its fetch
 * is ours: it adds the caller's signal and a timeout, and turns HTTP errors (with their
 * Retry-After) into LlmErrors before the SDK sees them.
 */
export async function ollamaTransport(o: OllamaOptions): Promise<Transport> {
  const { Ollama } = await import("ollama");
  const provider = "ollama";
  const fetchWith =
    (callSignal: AbortSignal | undefined) =>
    async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const timeout = timeoutSignal(o.timeoutMs);
      const signal = callSignal ? AbortSignal.any([callSignal, timeout]) : timeout;
      let res: Response;
      try {
        res = await fetch(input, { ...init, signal });
      } catch (e) {
        if (callSignal?.aborted) throw new LlmError("ollama: request aborted", { kind: "aborted", provider, cause: e });
        if (timeout.aborted) throw new LlmError(`ollama: timed out after ${o.timeoutMs} ms`, { kind: "timeout", provider, cause: e });
        throw new LlmError(`ollama: cannot reach ${o.host} (${(e as Error).message})`, { kind: "transient", provider, cause: e });
      }
      if (!res.ok) {
        const text = await res.text().catch(() => "");
        let detail = text;
        try {
          detail = (JSON.parse(text) as { error?: string }).error ?? text;
        } catch {
          // a plain-text error body
        }
        throw new LlmError(`ollama: ${res.status} ${detail || res.statusText}`.trim(), {
          kind: kindForStatus(res.status),
          provider,
          status: res.status,
          retryAfterMs: retryAfterFromHeaders(res.headers, Date.now()),
        });
      }
      return res;
    };
  return {
    provider,
    modes: ["json_schema", "json_object", "prompt"],
    async send(call: TransportCall): Promise<TransportReply> {
      const client = new Ollama({ host: o.host, fetch: fetchWith(call.signal) as typeof fetch }); // per call: its own signal
      const options: Record<string, number> = {};
      if (call.maxOutputTokens !== undefined) options.num_predict = call.maxOutputTokens;
      if (call.temperature !== undefined) options.temperature = call.temperature;
      const request: Record<string, unknown> = { model: call.model, messages: call.messages, stream: false, options };
      if (call.mode === "json_schema" && call.schema) request.format = call.schema.schema;
      if (call.mode === "json_object") request.format = "json";
      try {
        const r = (await client.chat(request as never)) as unknown as {
          model?: string;
          message?: { content?: string };
          prompt_eval_count?: number;
          eval_count?: number;
        };
        return {
          text: r.message?.content ?? "",
          usage: { inputTokens: r.prompt_eval_count ?? 0, outputTokens: r.eval_count ?? 0 },
          model: r.model ?? call.model,
        };
      } catch (e) {
        if (e instanceof LlmError) throw e;
        throw new LlmError(`ollama: ${(e as Error).message}`, { kind: "transient", provider, cause: e });
      }
    },
  };
}
