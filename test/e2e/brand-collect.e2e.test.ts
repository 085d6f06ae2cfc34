import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// `leadjobs brands collect` and the brand job types through the real binary, against a fake
// OpenAI-compatible and Ollama service on 127.0.0.1.
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-brands-e2e-0123456789";
  fake.prose = (question) =>
    ({
      "Vilket paketbud är bäst i Stockholm?": "1. Budbee – snabb och pålitlig\n2. PostNord\n3. Bring\n\nKälla: https://www.budbee.com/",
      "Billigaste frakten?": "1. PostNord\n2. Bringo\n3. Budbee",
      "Vem kör matkassar?": "Bringo kör matkassar, PostNord paket.",
    })[question];
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.requests.length = 0;
});

const env = (extra: Record<string, string | undefined> = {}) => ({
  OPENAI_API_KEY: fake.apiKey,
  LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1`,
  LEADJOBS_OLLAMA_HOST: fake.url,
  LEADJOBS_BRAND_PROVIDER_RPM: "6000",
  LEADJOBS_LLM_TIMEOUT: "5s",
  ...extra,
});

async function brandDb(): Promise<string> {
  const db = join(tempDir(), "collect.db");
  await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB", "--domain", "budbee.com"], db);
  for (const c of ["Bring", "Bringo", "PostNord"]) await runJson(["brands", "competitors", "Budbee", "--add", c], db);
  await runJson(
    ["brands", "queries", "add", "Budbee", "Vilket paketbud är bäst i Stockholm?", "Billigaste frakten?", "Vem kör matkassar?"],
    db,
  );
  return db;
}

const count = (db: string, sql: string, ...args: unknown[]) => Object.values(query(db, sql, ...args)[0] ?? {})[0] as number;

describe("brands collect from the shell", () => {
  it("collects through two providers and scores (--score), then the report compares them", async () => {
    const db = await brandDb();
    const r = await runJson(["brands", "collect", "Budbee", "--collectors", "openai,ollama", "--score"], db, { env: env() });
    expect(r).toMatchObject({
      outcome: "completed",
      queries: 3,
      storedByJob: 6,
      scoring: { sentimentScorer: "lexicon", answers_scored: 6, brand_mentioned: 4 },
    });
    expect(r.lanes.map((l: { collector: string; stored: number }) => [l.collector, l.stored])).toEqual([
      ["openai/gpt-4o-mini", 3],
      ["ollama/llama3.2", 3],
    ]);
    expect(r.metrics).toMatchObject({ queries_executed: 6, answers_stored: 6, failed: 0 });
    expect(r.metrics.cost_microusd).toBe(count(db, "select sum(cost_micro_usd) from answer"));
    expect(r.metrics.cost_microusd).toBeGreaterThan(0);
    expect(count(db, "select count(*) from answer where provider = 'ollama' and cost_micro_usd = 0")).toBe(3);

    const report = await runJson(["report", "brands", "--brand", "Budbee"], db);
    const openai = report.reports.find((x: { provider: string }) => x.provider === "openai");
    expect(openai.brandFigures).toMatchObject({ mentionShare: 2 / 3, avgPosition: 2, citationShare: 1 / 3 });
    expect(openai.competitors.find((c: { name: string }) => c.name === "Bring")).toMatchObject({ mentionShare: 1 / 3, avgPosition: 3 });
    expect(openai.competitors.find((c: { name: string }) => c.name === "Bringo")).toMatchObject({ mentionShare: 2 / 3 });

    const text = await runCli(["brands", "collect", "Budbee", "--collectors", "ollama"], db, { env: env() });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ollama\/llama3\.2: 3 answers stored, 0 failed; \d+\/\d+ tokens, \$0$/m);
    expect(text.stdout).toMatch(/^Budbee: 3 questions asked: 3 answers stored, 0 failed; /m);
  });

  it("the summary's numbers add up, in the singular for one: asked (stored, failed) and not asked, as the stop message says", async () => {
    const db = await brandDb();
    fake.rateLimit(50, "1");
    const r = await runCli(["brands", "collect", "Budbee", "--collectors", "openai", "--parallel", "1"], db, { env: env() });
    expect(r.code).toBe(75); // rate limited: snoozed, `process` continues it
    expect(r.stdout).toMatch(/^Budbee: 1 question asked: 0 answers stored, 1 failed; 2 not asked; /m);
    expect(r.stderr).toMatch(/\(this attempt: 1 failed, 2 not asked\); 0 answers stored by this attempt/);
    expect(r.stdout + r.stderr).not.toMatch(/\b1 questions\b|without an answer/);
  });

  it("--score scores only when the collection succeeded: a rejected key fails the run and nothing is scored", async () => {
    const db = await brandDb();
    const r = await runCli(["brands", "collect", "Budbee", "--collectors", "openai,ollama", "--score"], db, {
      env: env({ OPENAI_API_KEY: "sk-rejected-0123456789" }),
    });
    expect(r.code).not.toBe(0);
    expect(count(db, "select count(*) from answer where provider = 'ollama'")).toBe(3); // collected, kept
    expect(count(db, "select count(*) from answer where scored_at is not null")).toBe(0);
  });

  it("no collector configured: exit 69 with one line, nothing written", async () => {
    const db = await brandDb();
    const before = count(db, "select count(*) from job");
    const r = await runCli(["brands", "collect", "Budbee"], db, { env: env() });
    expect(r.code).toBe(69);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^leadjobs: no collector configured: /);
    expect(count(db, "select count(*) from job")).toBe(before);
    expect(count(db, "select count(*) from answer")).toBe(0);
    expect(fake.requests).toHaveLength(0);
    // The setting is enough.
    const withSetting = await runJson(["brands", "collect", "Budbee"], db, { env: env({ LEADJOBS_BRAND_COLLECTORS: "ollama" }) });
    expect(withSetting.metrics.answers_stored).toBe(3);
  });

  it("a collector without its key: exit 69 before anything is written, naming the variable", async () => {
    const db = await brandDb();
    const before = count(db, "select count(*) from job");
    const r = await runCli(["brands", "collect", "Budbee", "--collectors", "ollama,openai"], db, {
      env: env({ OPENAI_API_KEY: undefined }),
    });
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/OPENAI_API_KEY is not set/);
    const sentiment = await runCli(["brands", "score", "Budbee", "--sentiment-provider", "groq"], db, { env: env() });
    expect(sentiment.code).toBe(69);
    expect(sentiment.stderr).toMatch(/GROQ_API_KEY is not set/);
    expect(count(db, "select count(*) from job")).toBe(before);
    expect(fake.requests).toHaveLength(0);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = await brandDb();
    const before = count(db, "select count(*) from job");
    const cases: Array<[string[], RegExp]> = [
      [["brands", "collect", "Budbee", "--collectors", "ollama", "--parallel", "0"], /invalid --parallel "0"/],
      [["brands", "collect", "Budbee", "--collectors", "open ai"], /invalid collector "open ai"/],
      [["brands", "collect", "Budbee", "--collectors", "ollama", "--max-cost", "-1"], /invalid --max-cost "-1"/],
      [["brands", "collect", "Budbee", "--collectors", "ollama", "--query-limit", "x"], /invalid --query-limit "x"/],
      [["brands", "collect", "Nope", "--collectors", "ollama"], /no brand "Nope"/],
      [["brands", "collect", "Budbee", "--collectors", "nope"], /unknown collector "nope": known are ollama, openai, chatgpt/],
      [["brands", "collect", "Budbee", "--collectors", "ollama", "--sentiment-provider", "openai"], /go with --score/],
      [["brands", "score", "Budbee", "--sentiment-provider", "not a provider"], /expected a provider name/],
      [
        ["jobs", "add", "brand.collect", "--payload", '{"brand":"Budbee","collectors":["ollama"],"parallel":99}'],
        /invalid payload for brand.collect: parallel/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db, { env: env() });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(count(db, "select count(*) from job")).toBe(before);
    expect(fake.requests).toHaveLength(0);
  });

  it("a long rate limit: the answers so far are kept, the job waits for `process` (exit 75)", async () => {
    const db = await brandDb();
    fake.rateLimit(3, "3600"); // the three questions openai asks at once; ollama's come after
    const r = await runCli(["brands", "collect", "Budbee", "--collectors", "openai", "--json"], db, { env: env() });
    expect(r.code).toBe(75);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ outcome: "snoozed", error: expect.stringMatching(/rate limited: back in 3600 s/) });
    expect(Date.parse(out.runAt) - Date.now()).toBeGreaterThan(3_000_000);
    expect((await runJson(["jobs", "show", String(out.jobId)], db)).job.state).toBe("pending");
  });

  it("brands score through a rate-limited sentiment model: one line with the reason on stderr, exit 75, the job waits", async () => {
    const db = await brandDb();
    await runJson(["brands", "collect", "Budbee", "--collectors", "ollama"], db, { env: env() });
    fake.rateLimit(1, "3600");
    const r = await runCli(["brands", "score", "Budbee", "--sentiment-provider", "openai"], db, { env: env() });
    expect(r.code).toBe(75);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^leadjobs: scoring job \d+ snoozed: sentiment provider openai\/gpt-4o-mini: .*Rate limit.* \(`leadjobs process` continues it in (1h|59m \d+s)\)/,
    );
    fake.rateLimit(1, "3600");
    const json = await runCli(["brands", "score", "Budbee", "--sentiment-provider", "openai", "--json"], db, { env: env() });
    expect(json.code).toBe(75);
    expect(JSON.parse(json.stdout)).toMatchObject({
      outcome: "snoozed",
      error: expect.stringMatching(/Rate limit/),
      runAt: expect.any(String),
    });
  });

  it("kill -9 in the middle of a collection: the rescued job stores each answer once and does not ask again what it stored", async () => {
    const db = await brandDb();
    await runJson(
      ["jobs", "add", "brand.collect", "--payload", JSON.stringify({ brand: "Budbee", collectors: ["openai"], parallel: 1 })],
      db,
    );
    fake.delay(500);
    const victim = spawnCli(["process", "--lease", "2s"], db, { env: env() });
    const done = finished(victim);
    try {
      for (let i = 0; i < 400 && count(db, "select count(*) from answer") < 1; i++) await new Promise((r) => setTimeout(r, 25));
      victim.kill("SIGKILL");
      expect((await done).signal).toBe("SIGKILL");
    } finally {
      fake.delay(0);
    }
    const stored = count(db, "select count(*) from answer");
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(stored).toBeLessThan(3);
    const askedBefore = fake.requests.length;
    const rerun = await runCli(["process", "--json"], db, { env: env() });
    expect(JSON.parse(rerun.stdout)).toMatchObject({ rescued: 1, completed: 1 });
    expect(count(db, "select count(*) from answer")).toBe(3);
    expect(count(db, "select count(distinct run_key) from answer")).toBe(3);
    expect(fake.requests.length - askedBefore).toBe(3 - stored);
    const job = await runJson(["jobs", "show", "1"], db);
    expect(job.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["lost", "completed"]);
    expect(job.attempts[1].metrics).toMatchObject({ already_stored: stored, answers_stored: 3 - stored });
  });

  it("the seed spec's names run the same job types", async () => {
    const db = await brandDb();
    const types = (await runJson(["jobs", "types"], db)).types.map((t: { type: string }) => t.type);
    expect(types).toEqual(
      expect.arrayContaining(["brand.collect", "brand.collect_and_score", "data_collection", "scoring", "data_collection_and_scoring"]),
    );
    await runJson(
      [
        "jobs",
        "add",
        "data_collection_and_scoring",
        "--payload",
        JSON.stringify({ brand: "Budbee", collectors: ["ollama"], positionLimit: 100 }),
      ],
      db,
    );
    const p = await runJson(["process"], db, { env: env() });
    expect(p.completed).toBe(1);
    const job = await runJson(["jobs", "show", "1"], db);
    expect(job.job.type).toBe("data_collection_and_scoring");
    expect(job.attempts[0].metrics).toMatchObject({ answers_stored: 3, answers_scored: 3 });
  });
});
