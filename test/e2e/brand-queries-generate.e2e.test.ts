import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// `brands queries generate`: proposals per onboarding topic, stored inactive until `activate`.
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-generate-0123456789";
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.requests.length = 0;
  fake.json = undefined;
});

const env = { OPENAI_API_KEY: undefined as string | undefined, LEADJOBS_OPENAI_BASE_URL: "" };

async function brandDb(): Promise<string> {
  const db = join(tempDir(), "generate.db");
  await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
  await runJson(["brands", "competitors", "Budbee", "--add", "PostNord"], db);
  for (const t of ["hemleverans", "hållbarhet"]) await runJson(["brands", "topics", "Budbee", "--add", t], db);
  return db;
}

type Generated = {
  added: number;
  topics: Array<{ topic: string; queries: Array<{ id: number; text: string; added: boolean; active: boolean }> }>;
};

describe("brands queries generate", () => {
  it("rules: Swedish and English proposals per topic, inactive until activate; re-running adds nothing", async () => {
    const db = await brandDb();
    const r = await runJson<Generated>(["brands", "queries", "generate", "Budbee"], db);
    expect(r.topics.map((t) => t.topic)).toEqual(["hemleverans", "hållbarhet"]);
    const home = r.topics[0]!.queries;
    expect(home.map((q) => q.text)).toContain("Vilka företag är bäst på hemleverans i Sverige?");
    expect(home.map((q) => q.text)).toContain("What are the best hemleverans providers in Sweden?");
    expect(home.every((q) => q.added && !q.active && !q.text.includes("Budbee"))).toBe(true);
    expect(r.added).toBe(12);
    expect(query(db, "select count(*) as n from brand_query where active = 0")).toEqual([{ n: 12 }]);
    expect((await runJson(["brands", "queries", "list", "Budbee"], db)).queries).toEqual([]);
    expect((await runJson(["brands", "queries", "list", "Budbee", "--inactive"], db)).total).toBe(12);

    const again = await runJson<Generated>(["brands", "queries", "generate", "Budbee"], db);
    expect(again.added).toBe(0);
    expect(counts(db, ["brand_query"])).toEqual({ brand_query: 12 });

    const ids = home.slice(0, 2).map((q) => String(q.id));
    await runCli(["brands", "queries", "activate", "Budbee", ...ids], db);
    expect((await runJson(["brands", "queries", "list", "Budbee"], db)).queries.map((q: { id: number }) => String(q.id))).toEqual(ids);
    const text = await runCli(["brands", "queries", "generate", "Budbee", "--topic", "HÅLLBARHET"], db);
    expect([text.code, text.stderr]).toEqual([0, ""]);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe("no new proposals: every one is already among the brand's queries");
  });

  it("through a provider: the answer schema goes to the model, its proposals are stored inactive, without duplicates", async () => {
    const db = await brandDb();
    fake.json = (prompt) => {
      const topic = /Topic: (.+)/.exec(prompt)?.[1] ?? "?";
      return { queries: [`Vem är bäst på ${topic} i Göteborg?`, `Vem är bäst på ${topic} i Göteborg? `, `Best ${topic} in Malmö?`] };
    };
    const llmEnv = { OPENAI_API_KEY: fake.apiKey, LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1` };
    const r = await runJson<Generated>(["brands", "queries", "generate", "Budbee", "--topic", "hemleverans", "--provider", "openai"], db, {
      env: llmEnv,
    });
    expect(r.topics).toEqual([
      {
        topic: "hemleverans",
        queries: [
          { id: 1, text: "Vem är bäst på hemleverans i Göteborg?", added: true, active: false },
          { id: 2, text: "Best hemleverans in Malmö?", added: true, active: false },
        ],
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
      },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "brand_queries" } });
    expect(JSON.stringify(fake.requests[0]!.body.messages)).toContain("Competitors: PostNord");
    const again = await runJson<Generated>(
      ["brands", "queries", "generate", "Budbee", "--topic", "hemleverans", "--provider", "openai"],
      db,
      {
        env: llmEnv,
      },
    );
    expect(again.added).toBe(0);
    expect(counts(db, ["brand_query"])).toEqual({ brand_query: 2 });
  });

  it("bad input is one line: unknown topic or provider exit 2, a provider without its key exit 69, nothing asked or written", async () => {
    const db = await brandDb();
    for (const [args, code, message] of [
      [["--topic", "flygfrakt"], 2, /no topic "flygfrakt": its topics are hemleverans, hållbarhet/],
      [["--provider", "nosuch"], 2, /unknown LLM provider "nosuch"/],
      [["--provider", "openai"], 69, /OPENAI_API_KEY is not set/],
    ] as const) {
      const r = await runCli(["brands", "queries", "generate", "Budbee", ...args], db, {
        env: { ...env, LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1` },
      });
      expect({ args, code: r.code, lines: r.stderr.trim().split("\n").length, stdout: r.stdout }).toEqual({
        args,
        code,
        lines: 1,
        stdout: "",
      });
      expect(r.stderr).toMatch(message);
    }
    expect(fake.requests).toEqual([]);
    expect(counts(db, ["brand_query"])).toEqual({ brand_query: 0 });
  });

  it("the seed's brand gets its queries generated from its topics", async () => {
    const db = join(tempDir(), "seed.db");
    await runJson(["seed", "--companies", "50", "--tracked", "0", "--answers", "10", "--now", "2026-03-02T09:00:00Z"], db);
    const topics = (await runJson(["brands", "topics", "Budbee"], db)).topics.map((t: { name: string }) => t.name);
    expect(topics.length).toBeGreaterThan(0);
    // Every seeded query is one the rules provider proposes for its topic: generating again adds none.
    expect((await runJson<Generated>(["brands", "queries", "generate", "Budbee"], db)).added).toBe(0);
    const seeded = await runJson(["brands", "queries", "list", "Budbee", "--all"], db);
    expect(seeded.total).toBe(6 * topics.length);
    expect(seeded.queries.every((q: { active: boolean }) => q.active)).toBe(true);
  }, 120_000);
});
