import { backoffDelay } from "../../util/backoff.ts";
import { sleep as defaultSleep } from "../../util/sleep.ts";
import { LlmError } from "./errors.ts";
import { checkJsonAnswer, repairMessages, withSchemaInstruction } from "./json-output.ts";
import type { ChatMessage, ChatRequest, ChatResult, ChatUsage, JsonSchemaSpec, LlmProvider, StructuredMode } from "./types.ts";

/** One HTTP call to a model, as a provider's SDK makes it. */
export interface TransportCall {
  model: string;
  messages: ChatMessage[];
  /** null: no JSON asked for. */
  mode: StructuredMode | null;
  schema?: JsonSchemaSpec | undefined;
  maxOutputTokens?: number | undefined;
  temperature?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface TransportReply {
  text: string;
  usage: ChatUsage;
  model: string;
}

/** What a provider implements: one call, errors thrown as LlmError. */
export interface Transport {
  readonly provider: string;
  /** Ways to ask for JSON, preferred first; a model that rejects one gets the next. */
  readonly modes: readonly StructuredMode[];
  send(call: TransportCall): Promise<TransportReply>;
}

export interface RetryOptions {
  /** Retries after the first call for 429, 5xx and timeouts (default 3). */
  maxRetries: number;
  /** First backoff delay (default 1 s), doubled per retry, ±20% jitter. */
  baseDelayMs: number;
  /** Longest wait between retries (default 60 s); a Retry-After beyond it is given to the caller. */
  maxDelayMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * A provider on top of a transport: picks the structured-output mode the model accepts
 * (remembered per model), retries transient failures with backoff honouring Retry-After,
 * validates JSON answers and makes one repair attempt, and sums usage over every call.
 */
export class TransportProvider implements LlmProvider {
  readonly name: string;
  readonly defaultModel: string;
  readonly free: boolean;
  private readonly transport: Transport;
  private readonly retry: RetryOptions;
  /** Per provider and model, for the life of the process: which mode it accepted. */
  private static readonly modes = new Map<string, number>();

  constructor(transport: Transport, o: { defaultModel: string; free?: boolean; retry?: Partial<RetryOptions> }) {
    this.transport = transport;
    this.name = transport.provider;
    this.defaultModel = o.defaultModel;
    this.free = o.free ?? false;
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
  }

  async chat<T>(req: ChatRequest<T>): Promise<ChatResult<T>> {
    const usage: ChatUsage = { inputTokens: 0, outputTokens: 0 };
    let calls = 0;
    const spec = req.jsonSchema;
    const call = async (messages: ChatMessage[]): Promise<{ reply: TransportReply; mode: StructuredMode | null }> => {
      for (;;) {
        const modeIndex = TransportProvider.modes.get(`${this.name}|${req.model}`) ?? 0;
        const mode = spec ? (this.transport.modes[modeIndex] ?? "prompt") : null;
        const sent = spec && mode !== "json_schema" ? withSchemaInstruction(messages, spec) : messages;
        try {
          const reply = await this.withRetries(req.signal, () => {
            calls++;
            return this.transport.send({
              model: req.model,
              messages: sent,
              mode,
              schema: spec,
              maxOutputTokens: req.maxOutputTokens,
              temperature: req.temperature,
              signal: req.signal,
            });
          });
          usage.inputTokens += reply.usage.inputTokens;
          usage.outputTokens += reply.usage.outputTokens;
          return { reply, mode };
        } catch (e) {
          if (
            e instanceof LlmError &&
            e.kind === "bad_request" &&
            mode !== null &&
            modeIndex < this.transport.modes.length - 1 &&
            aboutResponseFormat(e.message)
          ) {
            TransportProvider.modes.set(`${this.name}|${req.model}`, modeIndex + 1); // this model does not take that mode: use the next
            continue;
          }
          if (e instanceof LlmError) e.usage = { ...usage };
          throw e;
        }
      }
    };

    const result = (reply: TransportReply, mode: StructuredMode | null, repaired: boolean, json?: T): ChatResult<T> => {
      const r: ChatResult<T> = { text: reply.text, usage, model: reply.model, provider: this.name, calls, repaired };
      if (mode !== null) r.structured = mode;
      if (json !== undefined) r.json = json;
      return r;
    };
    const first = await call(req.messages);
    if (!spec) return result(first.reply, null, false);
    const checked = checkJsonAnswer(first.reply.text, spec);
    if (checked.ok) return result(first.reply, first.mode, false, checked.value);

    const second = await call(repairMessages(req.messages, first.reply.text, checked.reason, spec));
    const again = checkJsonAnswer(second.reply.text, spec);
    if (again.ok) return result(second.reply, second.mode, true, again.value);
    throw new LlmError(`invalid answer after one repair attempt: ${again.reason}`, {
      kind: "invalid_output",
      provider: this.name,
      usage: { ...usage },
    });
  }

  private async withRetries<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const sleep = this.retry.sleep ?? defaultSleep;
    const random = this.retry.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof LlmError) || !e.retryable || attempt >= this.retry.maxRetries) throw e;
        if (e.retryAfterMs !== undefined && e.retryAfterMs > this.retry.maxDelayMs) throw e; // the caller reschedules
        const backoff = backoffDelay(
          attempt + 1,
          { delaysMs: [this.retry.baseDelayMs], maxDelayMs: this.retry.maxDelayMs, jitter: 0.2 },
          random,
        );
        await sleep(Math.round(e.retryAfterMs ?? backoff), signal);
      }
    }
  }
}

function aboutResponseFormat(message: string): boolean {
  return /response_format|json_schema|json_object|structured output|response format|\bformat\b/i.test(message);
}
