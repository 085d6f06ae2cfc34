import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/config.ts";
import { UnavailableError } from "../../src/core/errors.ts";
import { LlmError } from "../../src/core/integrations/llm/errors.ts";
import { costMicroUsd, PriceTable } from "../../src/core/integrations/llm/prices.ts";
import { createLlmProvider } from "../../src/core/integrations/llm/registry.ts";
import { z } from "zod";
import { answerSpec } from "../../src/core/integrations/llm/answer-schema.ts";
import { FakeLlmServer } from "../fakes/llm-server.ts";

const SCHEMA = answerSpec(
  "fit",
  z.strictObject({
    score: z.int().min(0).max(100),
    segment: z.enum(["ecommerce", "wholesale", "other"]),
    reasons: z.array(z.string()).min(1).max(3),
  }),
);
const MESSAGES = [
  { role: "system" as const, content: "You rate companies." },
  { role: "user" as const, content: "Rate Åkesson Logistik AB, 5560160680." },
];

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-secret-key-123456";
});
afterAll(() => fake.stop());

/** Providers pointed at the fake; `delays` records the backoff waits instead of sleeping. */
function deps(extraEnv: Record<string, string> = {}, delays: number[] = []) {
  const env = {
    OPENAI_API_KEY: fake.apiKey,
    GROQ_API_KEY: fake.apiKey,
    GEMINI_API_KEY: fake.apiKey,
    ANTHROPIC_API_KEY: fake.apiKey,
    LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1`,
    LEADJOBS_GROQ_BASE_URL: `${fake.url}/openai/v1`,
    LEADJOBS_GEMINI_BASE_URL: `${fake.url}/v1beta/openai/`,
    LEADJOBS_CLAUDE_BASE_URL: `${fake.url}/anthropic/v1/`,
    LEADJOBS_OLLAMA_HOST: fake.url,
    LEADJOBS_LLM_TIMEOUT: "5s",
    ...extraEnv,
  };
  return { config: resolveConfig({}, env, {}), env, retry: { sleep: async (ms: number) => void delays.push(ms) } };
}

const lastBody = () => fake.requests[fake.requests.length - 1]?.body ?? {};

describe("LLM providers through their real SDKs against a local fake", () => {
  it("openai: strict json_schema structured output, usage and cost", async () => {
    const p = await createLlmProvider("openai", deps());
    const r = await p.chat({ model: "gpt-4o-mini", messages: MESSAGES, jsonSchema: SCHEMA, maxOutputTokens: 200 });
    expect(lastBody().response_format).toEqual({ type: "json_schema", json_schema: { name: "fit", strict: true, schema: SCHEMA.schema } });
    expect(lastBody().max_completion_tokens).toBe(200);
    expect(fake.requests[fake.requests.length - 1]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(r).toMatchObject({ provider: "openai", model: "gpt-4o-mini", structured: "json_schema", calls: 1, repaired: false });
    expect(r.json).toMatchObject({ segment: expect.stringMatching(/ecommerce|wholesale|other/) });
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    const price = new PriceTable().priceOf("openai", "gpt-4o-mini");
    expect(price).toEqual({ input: 0.15, output: 0.6 });
    expect(costMicroUsd(price!, { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(750_000);
  });

  it("a plain chat (no schema) returns the text", async () => {
    const p = await createLlmProvider("openai", deps());
    const r = await p.chat({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Which carriers deliver to Kiruna?" }] });
    expect(r.text).toMatch(/fake model/);
    expect(r.json).toBeUndefined();
    expect(lastBody().response_format).toBeUndefined();
  });

  it("groq: a model that rejects json_schema falls back to JSON mode plus validation, and remembers it", async () => {
    const p = await createLlmProvider("groq", deps());
    const before = fake.requests.length;
    const r = await p.chat({ model: "llama-3.3-70b-versatile", messages: MESSAGES, jsonSchema: SCHEMA });
    const sent = fake.requests.slice(before).map((q) => q.body.response_format?.type);
    expect(sent).toEqual(["json_schema", "json_object"]);
    expect(r.structured).toBe("json_object");
    expect(r.json).toHaveProperty("score");
    expect(lastBody().messages[0].content).toMatch(/JSON Schema/);
    expect(lastBody().max_tokens).toBeUndefined();
    await p.chat({ model: "llama-3.3-70b-versatile", messages: MESSAGES, jsonSchema: SCHEMA });
    expect(lastBody().response_format.type).toBe("json_object");
    const strict = await p.chat({ model: "openai/gpt-oss-20b", messages: MESSAGES, jsonSchema: SCHEMA });
    expect(strict.structured).toBe("json_schema");
  });

  it("gemini: thought tokens missing from completion_tokens are billed as output", async () => {
    const p = await createLlmProvider("gemini", deps());
    const r = await p.chat({ model: "gemini-2.5-flash", messages: MESSAGES, jsonSchema: SCHEMA });
    const usageSent = JSON.stringify(r.json).length;
    expect(r.usage.outputTokens).toBeGreaterThanOrEqual(40 + Math.ceil(usageSent / 4) - 1);
  });

  it("claude: response_format is not sent; JSON is asked for in the prompt and read out of the prose", async () => {
    const p = await createLlmProvider("claude", deps());
    const r = await p.chat({ model: "claude-haiku-4-5", messages: MESSAGES, jsonSchema: SCHEMA, maxOutputTokens: 300 });
    expect(lastBody().response_format).toBeUndefined();
    expect(lastBody().max_tokens).toBe(300);
    expect(r.structured).toBe("prompt");
    expect(r.json).toHaveProperty("reasons");
  });

  it("any OpenAI-compatible endpoint named in the environment", async () => {
    const p = await createLlmProvider(
      "perplexity",
      deps({ LEADJOBS_LLM_ENDPOINT_PERPLEXITY: `${fake.url}/v1`, PERPLEXITY_API_KEY: fake.apiKey! }),
    );
    const r = await p.chat({ model: "sonar", messages: MESSAGES, jsonSchema: SCHEMA });
    expect(r.provider).toBe("perplexity");
    expect(r.json).toHaveProperty("score");
  });

  it("ollama: the schema goes in `format`; usage from prompt_eval_count and eval_count; free", async () => {
    const p = await createLlmProvider("ollama", deps());
    expect(p.free).toBe(true);
    const r = await p.chat({ model: "llama3.2", messages: MESSAGES, jsonSchema: SCHEMA, maxOutputTokens: 256 });
    const body = lastBody();
    expect(body.format).toEqual(SCHEMA.schema);
    expect(body.stream).toBe(false);
    expect(body.options.num_predict).toBe(256);
    expect(r.structured).toBe("json_schema");
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(new PriceTable().priceOf("ollama", "llama3.2", p.free)).toEqual({ input: 0, output: 0 });
    await expect(p.chat({ model: "missing-model", messages: MESSAGES })).rejects.toMatchObject({ kind: "bad_request", status: 404 });
  });

  it("invalid output gets one repair attempt; usage covers both calls", async () => {
    for (const provider of ["openai", "ollama", "claude"]) {
      const p = await createLlmProvider(provider, deps());
      const r = await p.chat({ model: "fake-invalid-once", messages: MESSAGES, jsonSchema: SCHEMA });
      expect(r.repaired).toBe(true);
      expect(r.calls).toBe(2);
      expect(lastBody().messages.at(-1).content).toMatch(/cannot be used: the JSON does not match the schema: \$\.score: missing/);
      expect(r.usage.inputTokens).toBeGreaterThan(fake.requests.at(-1)!.body.messages.length);
    }
  });

  it("output that is still invalid after the repair fails with the reason, and the usage spent", async () => {
    const p = await createLlmProvider("openai", deps());
    const e = await p.chat({ model: "fake-invalid-garbage", messages: MESSAGES, jsonSchema: SCHEMA }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LlmError);
    expect(e).toMatchObject({ kind: "invalid_output", message: expect.stringMatching(/after one repair attempt: the answer is not JSON/) });
    expect((e as LlmError).usage.outputTokens).toBeGreaterThan(0);
  });

  it("429 with Retry-After is retried after the time the server asked for", async () => {
    for (const provider of ["openai", "ollama"]) {
      const delays: number[] = [];
      const p = await createLlmProvider(provider, deps({}, delays));
      fake.rateLimit(2, "1");
      const r = await p.chat({ model: "gpt-4o-mini", messages: MESSAGES, jsonSchema: SCHEMA });
      expect(delays).toEqual([1000, 1000]);
      expect(r.calls).toBe(3);
    }
  });

  it("a Retry-After longer than the backoff cap is handed to the caller", async () => {
    const p = await createLlmProvider("openai", deps());
    fake.rateLimit(1, "600");
    await expect(p.chat({ model: "gpt-4o-mini", messages: MESSAGES })).rejects.toMatchObject({
      kind: "rate_limited",
      status: 429,
      retryAfterMs: 600_000,
    });
  });

  it("5xx is retried with exponential backoff; after the last retry the error is thrown", async () => {
    const delays: number[] = [];
    const p = await createLlmProvider("openai", deps({ LEADJOBS_LLM_MAX_RETRIES: "2" }, delays));
    fake.fail(2, 503);
    const r = await p.chat({ model: "gpt-4o-mini", messages: MESSAGES });
    expect(r.calls).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    fake.fail(3, 500);
    await expect(p.chat({ model: "gpt-4o-mini", messages: MESSAGES })).rejects.toMatchObject({ kind: "transient", status: 500 });
  });

  it("a request that takes too long times out (and is retried as transient)", async () => {
    const p = await createLlmProvider("openai", deps({ LEADJOBS_LLM_TIMEOUT: "200ms", LEADJOBS_LLM_MAX_RETRIES: "0" }));
    const o = await createLlmProvider("ollama", deps({ LEADJOBS_LLM_TIMEOUT: "200ms", LEADJOBS_LLM_MAX_RETRIES: "0" }));
    fake.delay(1500);
    try {
      await expect(p.chat({ model: "gpt-4o-mini", messages: MESSAGES })).rejects.toMatchObject({ kind: "timeout" });
      await expect(o.chat({ model: "llama3.2", messages: MESSAGES })).rejects.toMatchObject({ kind: "timeout" });
    } finally {
      fake.delay(0);
    }
  });

  it("a wrong key is an auth error that does not repeat the key; a missing key is unavailable (exit 69)", async () => {
    const p = await createLlmProvider("openai", deps({ OPENAI_API_KEY: "sk-wrong-but-secret-0000" }));
    const e = (await p.chat({ model: "gpt-4o-mini", messages: MESSAGES }).catch((x: unknown) => x)) as LlmError;
    expect(e.kind).toBe("auth");
    expect(e.message).not.toContain("sk-wrong-but-secret-0000");
    await expect(createLlmProvider("groq", deps({ GROQ_API_KEY: "" }))).rejects.toBeInstanceOf(UnavailableError);
    await expect(createLlmProvider("groq", deps({ GROQ_API_KEY: "" }))).rejects.toThrow(/GROQ_API_KEY is not set/);
    await expect(createLlmProvider("nope", deps())).rejects.toThrow(/unknown LLM provider "nope"/);
  });
});
