import { jobEndHook } from "../../src/commands/shared/job-ends.ts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addBrand, addCompetitor, addQueries } from "../../src/core/brands/repository.ts";
import { resolveConfig } from "../../src/core/config.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { costMicroUsd, PriceTable } from "../../src/core/integrations/llm/prices.ts";
import { loadJobType } from "../../src/job-types.ts";
import { parsePayload } from "../../src/core/jobs/payload.ts";
import { enqueueJobs } from "../../src/core/queue/enqueue.ts";
import { runWorker } from "../../src/core/runtime/worker.ts";
import { silentLogger } from "../../src/core/types.ts";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { testStore } from "../helpers/store.ts";

// brand.collect and brand.collect_and_score through the real worker loop and the real SDKs
// (openai, ollama) against two fake AI services on 127.0.0.1: one per provider, so one can
// rate-limit or stall while the other answers.
let openai: FakeLlmServer;
let ollama: FakeLlmServer;

const Q = {
  first: "Vilket paketbud är bäst för hemleverans i Stockholm?",
  third: "Billigaste frakten för små e-handlare?",
  absent: "Vem levererar matkassar hem?",
  prose: "Which parcel carrier is the most sustainable?",
};
const ANSWERS: Record<string, string> = {
  [Q.first]: "Här är de bästa:\n1. Budbee – snabb och pålitlig\n2. PostNord\n3. Bring\n\nKälla: https://www.budbee.com/hemleverans",
  [Q.third]: "1. PostNord – prisvärd\n2. Bringo\n3. Budbee – ibland försenad\n\nSe postnord.se och https://www.dhl.se/priser",
  [Q.absent]: "Bringo levererar matkassar; PostNord kör vanliga paket.",
  [Q.prose]: "Many shops use Post Nord, but Budbee AB is growing fast with electric vans.",
};

beforeAll(async () => {
  openai = await new FakeLlmServer().start();
  openai.apiKey = "sk-test-brand-collect-0123456789";
  ollama = await new FakeLlmServer().start();
  for (const f of [openai, ollama]) f.prose = (question) => ANSWERS[question];
});
afterAll(async () => {
  await openai.stop();
  await ollama.stop();
});
beforeEach(() => {
  for (const f of [openai, ollama]) {
    f.reset();
    f.requests.length = 0;
  }
});

function envFor(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    OPENAI_API_KEY: openai.apiKey,
    LEADJOBS_OPENAI_BASE_URL: `${openai.url}/v1`,
    LEADJOBS_OLLAMA_HOST: ollama.url,
    LEADJOBS_LLM_TIMEOUT: "5s",
    LEADJOBS_BRAND_PROVIDER_RPM: "6000",
    LEADJOBS_BRAND_CUSTOMER_RPM: "0",
    ...extra,
  };
}

async function world(extraEnv: Record<string, string | undefined> = {}) {
  const { db } = await testStore();
  let offset = 0;
  const clock = () => Date.now() + offset;
  const env = envFor(extraEnv);
  const config = resolveConfig({}, env, {});
  const brand = await addBrand(db, { name: "Budbee", customer: "Budbee AB", aliases: ["Budbee AB"], domains: ["budbee.com"] }, clock());
  await addCompetitor(db, brand.id, { name: "Bring", aliases: [], domains: ["bring.se"] }, clock());
  await addCompetitor(db, brand.id, { name: "Bringo", aliases: [], domains: [] }, clock());
  await addCompetitor(db, brand.id, { name: "PostNord", aliases: ["Post Nord"], domains: ["postnord.se"] }, clock());
  await addQueries(db, brand.id, [Q.first, Q.third, Q.absent, Q.prose], { name: "hemleverans", create: true }, clock());
  return {
    db,
    clock,
    advance: (ms: number) => (offset += ms),
    add: async (type: string, payload: object, extra: { timeoutMs?: number } = {}) => {
      const def = await loadJobType(type);
      const [job] = await enqueueJobs(db, [{ type, payload: parsePayload(def, payload), maxAttempts: 3, ...extra }], clock());
      return job!.id;
    },
    work: () =>
      runWorker({
        db,
        owner: "test:1",
        concurrency: 2,
        wait: false,
        pollMs: 50,
        leaseMs: 30_000,
        graceMs: 1000,
        stop: new AbortController().signal,
        clock,
        random: () => 0.5,
        log: silentLogger,
        config,
        onEnded: jobEndHook(config),
        env,
        loadJobType,
      }),
  };
}

async function jobOf(db: Db, id: number) {
  const job = await db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const attempts = await db.selectFrom("job_attempt").selectAll().where("job_id", "=", id).orderBy("id").execute();
  return { job, attempts: attempts.map((a) => ({ ...a, metrics: a.metrics ? (JSON.parse(a.metrics) as Record<string, number>) : {} })) };
}

const answers = (db: Db) => db.selectFrom("answer").selectAll().orderBy("id").execute();

describe("brand.collect", () => {
  it("collect and score end-to-end: every query through every collector, stored with tokens and cost, then positions, Bring vs Bringo, citations", async () => {
    const w = await world();
    const id = await w.add("brand.collect_and_score", { brand: "Budbee", collectors: ["openai", "ollama:llama3.1:8b"], parallel: 2 });
    expect(await w.work()).toMatchObject({ completed: 1, died: 0 });
    const { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("completed");

    const rows = await answers(w.db);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.run_key)).size).toBe(8);
    const price = new PriceTable().priceOf("openai", "gpt-4o-mini")!;
    for (const r of rows) {
      expect(r.text).toBe(ANSWERS[r.query_text]);
      expect(r).toMatchObject({
        job_id: id,
        brand_id: 1,
        run_key: expect.stringMatching(new RegExp(`^job:${id}\\|query:${r.query_id}\\|${r.provider}/`)),
      });
      expect(r.input_tokens).toBeGreaterThan(0);
      expect(r.output_tokens).toBeGreaterThan(0);
      expect(Date.parse(r.asked_at)).toBeGreaterThan(Date.now() - 60_000);
      if (r.provider === "openai") {
        expect(r.model).toBe("gpt-4o-mini");
        expect(r.cost_micro_usd).toBe(costMicroUsd(price, { inputTokens: r.input_tokens, outputTokens: r.output_tokens }));
        expect(r.cost_micro_usd).toBeGreaterThan(0);
      } else {
        expect(r).toMatchObject({ provider: "ollama", model: "llama3.1:8b", cost_micro_usd: 0 });
      }
    }
    // The fake saw each question once per provider, as the user's only message.
    expect(openai.requests.map((r) => r.body.messages.at(-1).content).sort()).toEqual(Object.values(Q).sort());
    expect(ollama.requests.map((r) => r.body.model)).toEqual(Array(4).fill("llama3.1:8b"));

    const m = attempts[0]!.metrics;
    expect(m).toMatchObject({ queries_executed: 8, answers_stored: 8, failed: 0, answers_scored: 8, brand_mentioned: 6 });
    expect(m.tokens_in).toBe(rows.reduce((s, r) => s + r.input_tokens, 0));
    expect(m.tokens_out).toBe(rows.reduce((s, r) => s + r.output_tokens, 0));
    expect(m.cost_microusd).toBe(rows.reduce((s, r) => s + r.cost_micro_usd, 0));
    const result = JSON.parse(job.result!);
    expect(result.lanes.map((l: { collector: string; stored: number }) => [l.collector, l.stored])).toEqual([
      ["openai/gpt-4o-mini", 4],
      ["ollama/llama3.1:8b", 4],
    ]);
    expect(result.scoring).toMatchObject({ sentimentScorer: "lexicon", answers_scored: 8 });

    const mentions = await w.db
      .selectFrom("answer_mention")
      .innerJoin("answer", "answer.id", "answer_mention.answer_id")
      .select([
        "answer.provider",
        "answer.query_text",
        "answer_mention.name",
        "answer_mention.mentioned",
        "answer_mention.position",
        "answer_mention.position_kind",
      ])
      .execute();
    const at = (provider: string, q: string, name: string) =>
      mentions.find((x) => x.provider === provider && x.query_text === q && x.name === name);
    for (const provider of ["openai", "ollama"]) {
      expect(at(provider, Q.first, "Budbee")).toMatchObject({ mentioned: 1, position: 1, position_kind: "list" });
      expect(at(provider, Q.first, "Bring")).toMatchObject({ mentioned: 1, position: 3 });
      expect(at(provider, Q.first, "Bringo")).toMatchObject({ mentioned: 0, position: null });
      expect(at(provider, Q.third, "Budbee")).toMatchObject({ mentioned: 1, position: 3, position_kind: "list" });
      expect(at(provider, Q.third, "Bringo")).toMatchObject({ mentioned: 1, position: 2 });
      expect(at(provider, Q.third, "Bring")).toMatchObject({ mentioned: 0 });
      expect(at(provider, Q.absent, "Budbee")).toMatchObject({ mentioned: 0, position: null });
      expect(at(provider, Q.absent, "Bringo")).toMatchObject({ mentioned: 1, position: 1, position_kind: "mention" });
      expect(at(provider, Q.absent, "Bring")).toMatchObject({ mentioned: 0 });
      expect(at(provider, Q.prose, "Budbee")).toMatchObject({ mentioned: 1, position: 2, position_kind: "mention" });
      expect(at(provider, Q.prose, "PostNord")).toMatchObject({ mentioned: 1, position: 1 });
    }
    const cites = await w.db
      .selectFrom("answer_citation")
      .innerJoin("answer", "answer.id", "answer_citation.answer_id")
      .select(["answer.provider", "answer.query_text", "answer_citation.domain", "answer_citation.owner"])
      .where("answer.provider", "=", "openai")
      .orderBy("answer_citation.id")
      .execute();
    expect(cites.map((c) => [c.query_text, c.domain, c.owner]).sort()).toEqual(
      [
        [Q.third, "dhl.se", "other"],
        [Q.third, "postnord.se", "competitor"],
        [Q.first, "budbee.com", "brand"],
      ].sort(),
    );
  });

  it("a retried job stores nothing twice and does not ask again what it stored", async () => {
    const w = await world();
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: "openai,ollama" });
    await w.work();
    expect(await answers(w.db)).toHaveLength(8);
    // The same job again (as after a crash or a retry), with one of its answers lost.
    await w.db.deleteFrom("answer").where("provider", "=", "ollama").where("query_text", "=", Q.third).execute();
    await w.db
      .updateTable("job")
      .set({ state: "pending", run_at: new Date(w.clock()).toISOString() })
      .where("id", "=", id)
      .execute();
    const asked = { openai: openai.requests.length, ollama: ollama.requests.length };
    await w.work();
    expect(openai.requests.length).toBe(asked.openai);
    expect(ollama.requests.length).toBe(asked.ollama + 1);
    expect(ollama.requests.at(-1)?.body.messages.at(-1).content).toBe(Q.third);
    const rows = await answers(w.db);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.run_key)).size).toBe(8);
    const { attempts } = await jobOf(w.db, id);
    expect(attempts[1]!.metrics).toMatchObject({ already_stored: 7, queries_executed: 1, answers_stored: 1 });
  });

  it("429 on one provider: that lane backs off (Retry-After) while the other stores its answers; all answers arrive", async () => {
    const w = await world();
    openai.rateLimit(2, "1");
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: ["openai", "ollama"], parallel: 1 });
    await w.work();
    const { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("completed");
    expect(attempts[0]!.metrics).toMatchObject({ backoffs: 2, answers_stored: 8, failed: 0 });
    expect(openai.requests).toHaveLength(6); // two refused, four answered
    expect(ollama.requests).toHaveLength(4);
  });

  it("a long Retry-After stops that provider only: the others' answers are stored, the job comes back when asked and asks only what is missing", async () => {
    const w = await world();
    openai.rateLimit(50, "3600");
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: ["openai", "ollama"] });
    expect(await w.work()).toMatchObject({ snoozed: 1 });
    let { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("pending");
    expect(attempts[0]!.outcome).toBe("snoozed");
    expect(job.last_error).toMatch(/openai\/gpt-4o-mini: .*Rate limit.*rate limited: back in 3600 s/);
    expect(Date.parse(job.run_at!) - w.clock()).toBeGreaterThan(3_500_000);
    expect((await answers(w.db)).map((r) => r.provider)).toEqual(Array(4).fill("ollama"));
    // The lane stopped at the first refusal; the questions already in flight (parallel 3) were refused too.
    expect(openai.requests.length).toBeLessThanOrEqual(3);
    expect(attempts[0]!.metrics).toMatchObject({
      answers_stored: 4,
      failed: openai.requests.length,
      not_asked: 4 - openai.requests.length,
    });

    openai.reset();
    w.advance(3_700_000);
    const before = ollama.requests.length;
    expect(await w.work()).toMatchObject({ completed: 1 });
    ({ job, attempts } = await jobOf(w.db, id));
    expect(job.state).toBe("completed");
    expect(ollama.requests.length).toBe(before);
    expect(attempts[1]!.metrics).toMatchObject({ already_stored: 4, answers_stored: 4 });
    expect((await answers(w.db)).filter((r) => r.provider === "openai")).toHaveLength(4);
  });

  it("a provider that times out: its lane stops after three failures in a row, the other's answers are kept, the queue retries", async () => {
    const w = await world({ LEADJOBS_LLM_TIMEOUT: "200ms", LEADJOBS_LLM_MAX_RETRIES: "0" });
    openai.delay(1500);
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: ["openai", "ollama"], parallel: 1 });
    expect(await w.work()).toMatchObject({ retried: 1 });
    const { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("pending");
    expect(attempts[0]).toMatchObject({ outcome: "failed" });
    expect(job.last_error).toMatch(/openai\/gpt-4o-mini: 3 questions failed in a row; the last: openai: timed out/);
    expect(attempts[0]!.metrics).toMatchObject({ failed: 3, not_asked: 1, answers_stored: 4 });
    expect((await answers(w.db)).every((r) => r.provider === "ollama")).toBe(true);
  });

  it("a run past the job's timeout is aborted between questions; what it stored stays", async () => {
    const w = await world();
    openai.delay(400);
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: ["openai"], parallel: 1 }, { timeoutMs: 600 });
    await w.work();
    const { job, attempts } = await jobOf(w.db, id);
    expect(attempts[0]).toMatchObject({ outcome: "timed_out" });
    expect(job.state).toBe("pending");
    const stored = (await answers(w.db)).length;
    expect(stored).toBeLessThan(4);
    expect(attempts[0]!.metrics.answers_stored ?? 0).toBe(stored);
  });

  it("maxCostUsd: a paid collector stops before its spend could pass the budget; a free one goes on", async () => {
    const w = await world();
    const id = await w.add("brand.collect", { brand: "Budbee", collectors: ["openai", "ollama"], maxCostUsd: 0.0005 });
    await w.work();
    const { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("completed");
    expect(attempts[0]!.metrics).toMatchObject({ answers_stored: 4, not_asked: 4, cost_microusd: 0 });
    expect(openai.requests).toHaveLength(0);
    expect(JSON.parse(job.result!).lanes[0].stopped).toMatchObject({
      kind: "budget",
      message: expect.stringMatching(/^budget: \$0 spent of \$0\.0005/),
    });
  });

  it("no collector configured, a missing key, an unknown provider: dead at once, nothing asked or stored", async () => {
    const w = await world({ OPENAI_API_KEY: undefined });
    const none = await w.add("brand.collect", { brand: "Budbee" });
    const noKey = await w.add("brand.collect", { brand: "Budbee", collectors: ["ollama", "openai"] });
    const unknown = await w.add("brand.collect", { brand: "Budbee", collectors: ["nope"] });
    await w.work();
    for (const [id, message] of [
      [none, /no collector configured/],
      [noKey, /OPENAI_API_KEY is not set/],
      [unknown, /collectors: unknown collector "nope": known are /],
    ] as const) {
      const { job, attempts } = await jobOf(w.db, id);
      expect(job.state).toBe("dead");
      expect(attempts).toHaveLength(1);
      expect(job.last_error).toMatch(message);
    }
    expect(ollama.requests).toHaveLength(0);
    expect(await answers(w.db)).toHaveLength(0);
  });

  it("the brandCollectors setting names the collectors when the payload does not; queryLimit goes round the queries, a retry keeps its set", async () => {
    const w = await world({ LEADJOBS_BRAND_COLLECTORS: "ollama:qwen3" });
    const id = await w.add("brand.collect", { brand: 1, queryLimit: 2 });
    await w.work();
    expect((await jobOf(w.db, id)).job.state).toBe("completed");
    expect((await answers(w.db)).map((r) => [r.provider, r.model, r.query_id])).toEqual([
      ["ollama", "qwen3", 1],
      ["ollama", "qwen3", 2],
    ]);
    const asked = async (jobId: number) =>
      (await w.db.selectFrom("answer").select("query_id").where("job_id", "=", jobId).orderBy("query_id").execute()).map((r) => r.query_id);
    w.advance(1000);
    const second = await w.add("brand.collect", { brand: 1, queryLimit: 2 });
    await w.work();
    expect(await asked(second)).toEqual([3, 4]); // never asked first
    w.advance(1000);
    const third = await w.add("brand.collect", { brand: 1, queryLimit: 2 });
    await w.work();
    expect(await asked(third)).toEqual([1, 2]); // then the least recently asked
    // The third job again with one answer lost: its own queries first (1 it still has, then the
    // least recently asked: 2, asked by the first job), not 2 and 3 as a fresh job would pick.
    await w.db.deleteFrom("answer").where("job_id", "=", third).where("query_id", "=", 2).execute();
    await w.db
      .updateTable("job")
      .set({ state: "pending", run_at: new Date(w.clock()).toISOString() })
      .where("id", "=", third)
      .execute();
    await w.work();
    expect(await asked(third)).toEqual([1, 2]);
  });
});

describe("sentiment through a provider", () => {
  it("brand.score with sentimentProvider: the model's JSON sentiment per mentioned subject; invalid output falls back to the lexicon", async () => {
    const w = await world();
    await w.add("brand.collect", { brand: "Budbee", collectors: ["ollama"] });
    await w.work();
    const id = await w.add("brand.score", { brand: "Budbee", sentimentProvider: "openai" });
    await w.work();
    const { job, attempts } = await jobOf(w.db, id);
    expect(job.state).toBe("completed");
    const sentimentCalls = openai.requests.filter((r) => r.body.response_format?.type === "json_schema");
    expect(sentimentCalls).toHaveLength(4); // one per answer that mentions anyone
    expect(sentimentCalls[0]!.body.response_format.json_schema.schema.required[0]).toBe("s1");
    const scored = await w.db
      .selectFrom("answer_mention")
      .select(["sentiment", "sentiment_label", "sentiment_scorer"])
      .where("mentioned", "=", 1)
      .execute();
    expect(
      scored.every((s) => s.sentiment_scorer === "openai/gpt-4o-mini" && s.sentiment !== null && s.sentiment >= -1 && s.sentiment <= 1),
    ).toBe(true);
    expect(attempts[0]!.metrics.sentiment_cost_microusd).toBeGreaterThan(0);

    await w.db.updateTable("answer").set({ scored_at: null, sentiment_scored_at: null }).execute();
    const bad = await w.add("brand.score", { brand: "Budbee", sentimentProvider: "openai:fake-invalid-garbage" });
    await w.work();
    const r = await jobOf(w.db, bad);
    expect(r.job.state).toBe("completed");
    expect(r.attempts[0]!.metrics).toMatchObject({ sentiment_fallbacks: 4, answers_scored: 4 });
    const after = await w.db.selectFrom("answer_mention").select("sentiment_scorer").where("mentioned", "=", 1).execute();
    expect(new Set(after.map((s) => s.sentiment_scorer))).toEqual(new Set(["lexicon"]));
  });
});
