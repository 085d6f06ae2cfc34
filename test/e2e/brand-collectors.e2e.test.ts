import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// The seed's collector names (chatgpt, perplexity, gemini, claude) through the real binary,
// against a fake OpenAI-compatible service on 127.0.0.1.
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-collectors-0123456789";
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.requests.length = 0;
});

/** Every named provider pointed at the fake, with only the keys given. */
const env = (keys: Record<string, string | undefined>) => ({
  LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1`,
  LEADJOBS_PERPLEXITY_BASE_URL: `${fake.url}/v1`,
  LEADJOBS_GEMINI_BASE_URL: `${fake.url}/v1beta/openai`,
  LEADJOBS_CLAUDE_BASE_URL: `${fake.url}/anthropic/v1`,
  LEADJOBS_BRAND_PROVIDER_RPM: "6000",
  LEADJOBS_LLM_TIMEOUT: "5s",
  OPENAI_API_KEY: undefined,
  PERPLEXITY_API_KEY: undefined,
  GEMINI_API_KEY: undefined,
  ANTHROPIC_API_KEY: undefined,
  ...keys,
});

async function brandDb(): Promise<string> {
  const db = join(tempDir(), "collectors.db");
  await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
  await runJson(["brands", "queries", "add", "Budbee", "Vilket paketbud är bäst i Stockholm?"], db);
  return db;
}

describe("collector names", () => {
  it("chatgpt, perplexity, gemini and claude collect, each with its own key", async () => {
    const db = await brandDb();
    const key = fake.apiKey as string;
    const r = await runJson(["brands", "collect", "Budbee", "--collectors", "chatgpt,perplexity,gemini,claude"], db, {
      env: env({ OPENAI_API_KEY: key, PERPLEXITY_API_KEY: key, GEMINI_API_KEY: key, ANTHROPIC_API_KEY: key }),
    });
    expect(r.lanes.map((l: { collector: string; stored: number }) => [l.collector, l.stored])).toEqual([
      ["openai/gpt-4o-mini", 1],
      ["perplexity/sonar", 1],
      ["gemini/gemini-2.5-flash", 1],
      ["claude/claude-haiku-4-5", 1],
    ]);
    expect(query(db, "select provider from answer order by provider")).toEqual(
      ["claude", "gemini", "openai", "perplexity"].map((provider) => ({ provider })),
    );
    expect(fake.requests.map((q) => q.headers.authorization)).toEqual(Array(4).fill(`Bearer ${key}`));
  });

  it("an unknown collector is one line naming the known ones, exit 2, nothing asked or written", async () => {
    const db = await brandDb();
    const r = await runCli(["brands", "collect", "Budbee", "--collectors", "chatgtp"], db, { env: env({}) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown collector "chatgtp": known are .*chatgpt.*perplexity.*gemini.*claude/);
    expect(fake.requests).toEqual([]);
    expect(counts(db, ["answer", "job"])).toEqual({ answer: 0, job: 0 });
  });

  it("a named endpoint or perplexity without its key exits 69 before any request (no 'Bearer none')", async () => {
    const db = await brandDb();
    const acme = await runCli(["brands", "collect", "Budbee", "--collectors", "acme"], db, {
      env: env({ LEADJOBS_LLM_ENDPOINT_ACME: `${fake.url}/v1`, ACME_API_KEY: undefined }),
    });
    expect([acme.code, acme.stderr.trim()]).toEqual([69, expect.stringMatching(/ACME_API_KEY is not set/)]);
    const perplexity = await runCli(["brands", "collect", "Budbee", "--collectors", "perplexity"], db, { env: env({}) });
    expect([perplexity.code, perplexity.stderr.trim()]).toEqual([69, expect.stringMatching(/PERPLEXITY_API_KEY is not set/)]);
    expect(fake.requests).toEqual([]);
    expect(counts(db, ["answer"])).toEqual({ answer: 0 });
    // With its key, the named endpoint is asked with it.
    const ok = await runJson(["brands", "collect", "Budbee", "--collectors", "acme:sonar-x"], db, {
      env: env({ LEADJOBS_LLM_ENDPOINT_ACME: `${fake.url}/v1`, ACME_API_KEY: fake.apiKey }),
    });
    expect(ok).toMatchObject({ outcome: "completed", storedByJob: 1 });
    expect(fake.requests.map((q) => q.headers.authorization)).toEqual([`Bearer ${fake.apiKey}`]);
  });

  it("the per-brand rate limit setting (brandRpm): a bad one is one line, exit 2, before anything is asked", async () => {
    const db = await brandDb();
    const bad = await runCli(["brands", "collect", "Budbee", "--collectors", "chatgpt"], db, {
      env: env({ OPENAI_API_KEY: fake.apiKey, LEADJOBS_BRAND_RPM: "Budbee=fast" }),
    });
    expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/^leadjobs: invalid brandRpm "Budbee=fast"[^\n]*$/)]);
    expect(fake.requests).toEqual([]);
    expect(counts(db, ["job"])).toEqual({ job: 0 });
    const ok = await runJson(["brands", "collect", "Budbee", "--collectors", "chatgpt"], db, {
      env: env({ OPENAI_API_KEY: fake.apiKey, LEADJOBS_BRAND_RPM: "6000,budbee:3000" }),
    });
    expect(ok).toMatchObject({ outcome: "completed", storedByJob: 1 });
  });
});
