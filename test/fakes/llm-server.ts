import type { IncomingMessage, ServerResponse } from "node:http";
import { LocalServer } from "./local-server.ts";

/**
 * A local stand-in for OpenAI-compatible chat completions and Ollama's native chat, answering
 * as the real services do (bodies, status codes, usage, Retry-After), on 127.0.0.1.
 *
 * Paths: /v1/chat/completions (OpenAI), /openai/v1/... (Groq: json_schema only on models whose
 * name contains "gpt-oss", 400 otherwise), /v1beta/openai/... (Gemini: thought tokens counted in
 * total_tokens only), /anthropic/v1/... (Anthropic's compatibility layer: response_format
 * ignored, JSON wrapped in prose) and /api/chat (Ollama: `format` schema or "json").
 *
 * The "model" answers JSON that matches the schema it was given (in response_format, in
 * Ollama's format, or in the prompt), deterministically from the prompt. Model names steer
 * misbehaviour: *invalid-once* (wrong first answer, right after the repair request),
 * *invalid* (always wrong), *prose* (JSON inside a sentence and a code fence). Tests can
 * queue HTTP failures (429 with Retry-After, 5xx) and delays.
 */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, any>;
}

interface Failure {
  status: number;
  retryAfter?: string;
  message: string;
  /** Answer with this status and no body at all. */
  empty?: boolean;
}

export class FakeLlmServer extends LocalServer {
  readonly requests: RecordedRequest[] = [];
  /** Bearer key the OpenAI-compatible paths require (none: any). */
  apiKey: string | undefined;
  /** Answers to plain chats (no JSON asked for), by the last user message; undefined: the default prose. */
  prose: ((question: string, model: string) => string | undefined) | undefined;
  /** Answers to JSON requests, by the whole prompt; undefined: a value sampled from the schema. */
  json: ((prompt: string) => unknown) | undefined;
  private readonly failures: Failure[] = [];
  private delayMs = 0;
  /** The next `times` requests get 429 Too Many Requests with this Retry-After (seconds or a date). */
  rateLimit(times: number, retryAfter = "1"): void {
    for (let i = 0; i < times; i++) this.failures.push({ status: 429, retryAfter, message: "Rate limit reached for requests" });
  }

  /** The next `times` requests fail with this server error. */
  fail(times: number, status = 503): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, message: "The server is overloaded or not ready yet." });
  }

  /** The next `times` requests get 200 OK with an empty body (a broken proxy or gateway). */
  emptyAnswers(times: number): void {
    for (let i = 0; i < times; i++) this.failures.push({ status: 200, message: "", empty: true });
  }

  /** Forgets queued failures and delays. */
  reset(): void {
    this.failures.length = 0;
    this.delayMs = 0;
  }

  /** Answers after this long (timeouts). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    let body: Record<string, any> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(res, 400, { error: { message: "invalid JSON body", type: "invalid_request_error" } });
    }
    const path = (req.url ?? "").split("?")[0] ?? "";
    this.requests.push({ path, headers: req.headers, body });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    const ollama = path === "/api/chat";
    const failure = this.failures.shift();
    if (failure?.empty) {
      res.writeHead(failure.status, { "content-type": "application/json" });
      return void res.end();
    }
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { "retry-after": failure.retryAfter } : {};
      return send(
        res,
        failure.status,
        ollama
          ? { error: failure.message }
          : { error: { message: failure.message, type: failure.status === 429 ? "rate_limit_exceeded" : "server_error" } },
        headers,
      );
    }
    if (ollama) return this.ollamaChat(body, res);
    const m = /^(\/v1|\/openai\/v1|\/v1beta\/openai|\/anthropic\/v1)\/chat\/completions$/.exec(path);
    if (!m || req.method !== "POST")
      return send(res, 404, { error: { message: `Unknown request URL: ${req.method} ${path}`, type: "invalid_request_error" } });
    const auth = req.headers.authorization ?? "";
    if (this.apiKey !== undefined && auth !== `Bearer ${this.apiKey}`) {
      // Some services repeat the key they were given: the client must not record it.
      return send(res, 401, {
        error: { message: `Incorrect API key provided: ${auth.slice(7)}`, type: "invalid_request_error", code: "invalid_api_key" },
      });
    }
    return this.completions(m[1] as string, body, res);
  }

  private completions(prefix: string, body: Record<string, any>, res: ServerResponse): void {
    const model = String(body.model ?? "");
    const messages = (body.messages ?? []) as Array<{ role: string; content: string }>;
    const rf = body.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
    const anthropic = prefix === "/anthropic/v1";
    if (prefix === "/openai/v1" && rf?.type === "json_schema" && !model.includes("gpt-oss")) {
      return send(res, 400, {
        error: {
          message: `model \`${model}\` does not support response format \`json_schema\``,
          type: "invalid_request_error",
          param: "response_format",
        },
      });
    }
    if (rf?.type === "json_object" && !anthropic && !messages.some((x) => /json/i.test(x.content))) {
      return send(res, 400, {
        error: {
          message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          type: "invalid_request_error",
        },
      });
    }
    const schema = (!anthropic && rf?.type === "json_schema" ? rf.json_schema?.schema : undefined) ?? schemaFromPrompt(messages);
    const scriptedJson = schema ? this.json?.(messages.map((x) => x.content).join("\n")) : undefined;
    let content =
      (!schema ? this.scripted(messages, model) : undefined) ??
      (scriptedJson === undefined ? undefined : JSON.stringify(scriptedJson)) ??
      answer(model, messages, schema);
    if (anthropic && schema) content = `Here is the analysis you asked for:\n\`\`\`json\n${content}\n\`\`\``;
    const prompt = tokens(messages.map((x) => x.content).join("\n"));
    const completion = tokens(content);
    const thinking = prefix === "/v1beta/openai" ? 40 : 0;
    send(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion + thinking },
    });
  }

  private scripted(messages: Array<{ role: string; content: string }>, model: string): string | undefined {
    const question = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    return this.prose?.(question, model);
  }

  private ollamaChat(body: Record<string, any>, res: ServerResponse): void {
    const model = String(body.model ?? "");
    if (model.includes("missing")) return send(res, 404, { error: `model "${model}" not found, try pulling it first` });
    const messages = (body.messages ?? []) as Array<{ role: string; content: string }>;
    const schema = typeof body.format === "object" && body.format !== null ? body.format : schemaFromPrompt(messages);
    const content = (!schema ? this.scripted(messages, model) : undefined) ?? answer(model, messages, schema);
    send(res, 200, {
      model,
      created_at: "2026-01-01T00:00:00.000Z",
      message: { role: "assistant", content },
      done: true,
      done_reason: "stop",
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: tokens(messages.map((x) => x.content).join("\n")),
      prompt_eval_duration: 1000,
      eval_count: tokens(content),
      eval_duration: 1000,
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** The schema an instruction in the prompt describes ("...this JSON Schema:\n{...}"). */
function schemaFromPrompt(messages: Array<{ content: string }>): Record<string, unknown> | undefined {
  for (const m of messages) {
    const i = m.content.indexOf("JSON Schema:\n");
    if (i < 0) continue;
    const text = m.content.slice(i + "JSON Schema:\n".length).split("\n")[0] ?? "";
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function answer(model: string, messages: Array<{ role: string; content: string }>, schema: Record<string, unknown> | undefined): string {
  if (!schema) return "Hej! This is the fake model answering in prose.";
  const last = messages[messages.length - 1]?.content ?? "";
  const repairing = /cannot be used/.test(last);
  const prompt = messages.map((x) => x.content).join("\n");
  const value = sample(schema, prompt, { orgnrs: [...new Set(prompt.match(/\b\d{10}\b/g) ?? [])], next: 0 });
  if (model.includes("invalid") && (!model.includes("once") || !repairing)) {
    return model.includes("garbage") ? "I think this company is a great fit!" : JSON.stringify(breakValue(value));
  }
  const json = JSON.stringify(value);
  return model.includes("prose") ? `Sure. \`\`\`json\n${json}\n\`\`\` Hope that helps.` : json;
}

function breakValue(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const copy = { ...(v as Record<string, unknown>) };
    const key = Object.keys(copy)[0];
    if (key) delete copy[key];
    return copy;
  }
  return { unexpected: true };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A value that matches the schema, varying with the prompt; "orgnr" fields take the numbers the prompt names. */
function sample(schema: Record<string, any>, seed: string, ctx: { orgnrs: string[]; next: number }, key = ""): unknown {
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  if (Array.isArray(schema.enum)) return schema.enum[hash(seed + key) % schema.enum.length];
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, any>)) out[k] = sample(sub, seed, ctx, k);
      return out;
    }
    case "array": {
      const isLeadList = schema.items?.properties?.orgnr !== undefined;
      const n = isLeadList ? Math.max(ctx.orgnrs.length, schema.minItems ?? 0) : Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: Math.min(n, schema.maxItems ?? n) }, (_, i) => sample(schema.items ?? {}, `${seed}#${i}`, ctx, key));
    }
    case "integer":
    case "number": {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? 100;
      return lo + (hash(seed + key) % (hi - lo + 1));
    }
    case "boolean":
      return hash(seed + key) % 2 === 0;
    case "string":
      if (key === "orgnr") return ctx.orgnrs[ctx.next++] ?? "5560160680";
      return `${key || "text"} (fake)`;
    default:
      return null;
  }
}
