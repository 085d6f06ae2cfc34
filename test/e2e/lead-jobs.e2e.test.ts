import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeLlmServer } from "../fakes/llm-server.ts";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await new FakeLlmServer().start();
  fake.apiKey = "sk-test-lead-jobs-0123456789";
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const llmEnv = (extra: Record<string, string | undefined> = {}) => ({
  OPENAI_API_KEY: fake.apiKey,
  LEADJOBS_OPENAI_BASE_URL: `${fake.url}/v1`,
  LEADJOBS_OLLAMA_HOST: fake.url,
  GROQ_API_KEY: fake.apiKey,
  LEADJOBS_GROQ_BASE_URL: `${fake.url}/openai/v1`,
  ...extra,
});

/** A seeded database (2000 companies, some of them leads already). */
async function seeded(): Promise<string> {
  const db = join(tempDir(), "l.db");
  await runJson(["seed", "--companies", "800"], db);
  return db;
}

/** The first column of a query's first row. */
function scalar(db: string, sql: string, ...params: unknown[]): unknown {
  return Object.values(query(db, sql, ...params)[0] ?? {})[0];
}

async function runJob(
  db: string,
  type: string,
  payload: object,
  env: Record<string, string | undefined> = {},
): Promise<{ id: number; process: { completed: number; died: number; snoozed: number }; job: any; attempts: any[] }> {
  const added = await runJson(["jobs", "add", type, "--payload", JSON.stringify(payload)], db, { env }); // references are checked in the worker's environment
  const id = added.jobs[0].id as number;
  const r = await runCli(["process", "--json"], db, { env });
  const process = JSON.parse(r.stdout);
  const shown = await runJson(["jobs", "show", String(id)], db);
  return { id, process, job: shown.job, attempts: shown.attempts };
}

describe("lead job types run by `process`", () => {
  it("search and analyse with the rules provider; the same search twice creates no duplicate leads", async () => {
    const db = await seeded();
    const payload = { search_query: "e-handel", max_results: 10, analysis_protocol: "quick", llm_provider: "rules" };
    const first = await runJob(db, "leads.search_and_analyze", payload);
    expect(first.job.state).toBe("completed");
    const m1 = first.attempts[0].metrics;
    expect(m1).toMatchObject({ created: 10, analysed: 10, failed: 0, tokens_in: 0, cost_microusd: 0 });
    expect(m1.found).toBe(m1.created + m1.skipped_existing + m1.skipped_reklamsparr + m1.skipped_inactive);
    const second = await runJob(db, "leads.search_and_analyze", payload);
    const m2 = second.attempts[0].metrics;
    expect(m2.skipped_existing).toBeGreaterThanOrEqual(10);
    expect(scalar(db, "select count(*) from (select orgnr from lead group by orgnr having count(*) > 1) as d")).toBe(0);
    expect(scalar(db, "select count(*) from lead where source in (?, ?)", `job:${first.id}`, `job:${second.id}`)).toBe(
      m1.created + m2.created,
    );
    expect(scalar(db, "select count(*) from lead_analysis where job_id = ?", first.id)).toBe(10);
    const report = await runJson(["report", "leads"], db);
    expect(report.bySchedule).toEqual([
      expect.objectContaining({
        scheduleId: null,
        runs: 2,
        succeeded: 2,
        successRate: 1,
        found: m1.found + m2.found,
        analysed: 10 + m2.analysed,
      }),
    ]);
    expect(report.byDay[0]).toMatchObject({ executions: 2, created: m1.created + m2.created });
  });

  it("openai through its SDK: tokens and cost per lead and per run; max_cost_usd stops before the budget is exceeded", async () => {
    const db = await seeded();
    const run = await runJob(
      db,
      "leads.search_and_analyze",
      {
        search_query: "",
        search_filters: { industry: "47" },
        max_results: 20,
        analysis_protocol: "quick",
        llm_provider: "openai",
        model: "gpt-4o-mini",
        max_cost_usd: 0.0012,
      },
      llmEnv(),
    );
    expect(run.job.state).toBe("completed");
    const m = run.attempts[0].metrics;
    expect(m.created).toBe(20);
    expect(m.not_analysed).toBeGreaterThan(0);
    expect(m.analysed + m.not_analysed + m.failed).toBe(20);
    expect(m.tokens_in).toBeGreaterThan(0);
    expect(m.cost_microusd).toBeGreaterThan(0);
    expect(m.cost_microusd).toBeLessThanOrEqual(1200);
    const rows = query<{ status: string; cost_microusd: number; input_tokens: number; error: string | null }>(
      db,
      "select status, cost_microusd, input_tokens, error from lead_analysis where job_id = ?",
      run.id,
    );
    expect(rows.filter((r) => r.status === "succeeded").every((r) => r.cost_microusd > 0 && r.input_tokens > 0)).toBe(true);
    expect(rows.find((r) => r.status === "not_analysed")?.error).toMatch(/^budget: \$0\.\d+ spent of \$0\.0012/);
    expect(rows.reduce((s, r) => s + r.cost_microusd, 0)).toBe(m.cost_microusd);
  });

  it("ollama and groq (JSON-mode fallback) analyse; an answer still invalid after the repair is recorded as a failed analysis, and a run of only failures does not complete", async () => {
    const db = await seeded();
    const leads = (await runJson(["leads", "list", "--limit", "3"], db)).leads.map((l: { id: number }) => l.id);
    const ollama = await runJob(
      db,
      "leads.analyze",
      { lead_ids: leads, analysis_protocol: "deep", llm_provider: "ollama", model: "llama3.2" },
      llmEnv(),
    );
    expect(ollama.attempts[0].metrics).toMatchObject({ analysed: 3, failed: 0, cost_microusd: 0 });
    const groq = await runJob(db, "leads.analyze", { lead_ids: leads, analysis_protocol: "batch", llm_provider: "groq" }, llmEnv());
    expect(groq.attempts[0].metrics).toMatchObject({ analysed: 3, failed: 0 });
    expect(groq.attempts[0].metrics.cost_microusd).toBeGreaterThan(0);
    const bad = await runJob(
      db,
      "leads.analyze",
      { lead_ids: leads, analysis_protocol: "quick", llm_provider: "openai", model: "fake-invalid-garbage" },
      llmEnv(),
    );
    expect(bad.job).toMatchObject({
      state: "dead",
      lastError: expect.stringMatching(/^every analysis failed \(3 of 3 leads\): .*invalid answer after one repair attempt/),
    });
    expect(bad.attempts).toHaveLength(1);
    expect(bad.attempts[0].metrics).toMatchObject({ analysed: 0, failed: 3, price_unknown: 1 });
    const show = await runJson(["leads", "show", String(leads[0])], db);
    expect(show.analyses[0]).toMatchObject({
      status: "failed",
      provider: "openai",
      error: expect.stringMatching(/invalid answer after one repair attempt/),
    });
    expect(show.analyses.find((a: { provider: string }) => a.provider === "groq")).toMatchObject({
      status: "succeeded",
      protocol: "batch",
    });
  });

  it("429 with a long Retry-After snoozes the job; a wrong key kills it at once, with the key redacted", async () => {
    const db = await seeded();
    fake.rateLimit(1, "3600");
    const limited = await runJob(db, "leads.analyze", { selector: { limit: 2 }, llm_provider: "openai" }, llmEnv());
    expect(limited.job.state).toBe("pending");
    expect(limited.attempts[0].outcome).toBe("snoozed");
    expect(limited.job.lastError).toMatch(/asks to wait 3600 s/);
    expect(Date.parse(limited.job.runAt) - Date.now()).toBeGreaterThan(3_000_000);
    await runCli(["jobs", "cancel", String(limited.id)], db);
    // A short Retry-After that outlasts the provider's retries: a snooze uses up no attempt, so a minute at least.
    fake.rateLimit(1, "1");
    const short = await runJob(
      db,
      "leads.analyze",
      { selector: { limit: 2 }, llm_provider: "openai" },
      llmEnv({ LEADJOBS_LLM_MAX_RETRIES: "0" }),
    );
    expect(short.attempts[0].outcome).toBe("snoozed");
    expect(Date.parse(short.job.runAt) - Date.now()).toBeGreaterThan(50_000);
    await runCli(["jobs", "cancel", String(short.id)], db);

    const wrong = "sk-wrong-key-that-must-not-leak-42";
    const denied = await runJob(db, "leads.analyze", { selector: { limit: 2 }, llm_provider: "openai" }, llmEnv({ OPENAI_API_KEY: wrong }));
    expect(denied.job.state).toBe("dead");
    expect(denied.attempts).toHaveLength(1);
    expect(denied.job.lastError).toMatch(/401/);
    expect(denied.job.lastError).not.toContain(wrong);
    const missing = await runJob(
      db,
      "leads.analyze",
      { selector: { limit: 2 }, llm_provider: "groq" },
      llmEnv({ GROQ_API_KEY: undefined }),
    );
    expect(missing.job).toMatchObject({ state: "dead", lastError: expect.stringMatching(/GROQ_API_KEY is not set/) });
  });

  it("search_and_analyze checks its provider's key before the first write; a retried run's figures describe the whole job", async () => {
    const db = await seeded();
    const payload = { search_query: "e-handel", max_results: 10, analysis_protocol: "quick", llm_provider: "openai" };
    const leadsOf = (id: number) => scalar(db, "select count(*) from lead where source = ?", `job:${id}`);
    const noKey = await runJob(db, "leads.search_and_analyze", payload, llmEnv({ OPENAI_API_KEY: undefined }));
    expect(noKey.job).toMatchObject({ state: "dead", lastError: expect.stringMatching(/OPENAI_API_KEY is not set/) });
    expect(leadsOf(noKey.id)).toBe(0);

    // A rejected key is only found out by asking: the leads are made, the analysis dies; the retry finishes the job.
    const rejected = await runJob(db, "leads.search_and_analyze", payload, llmEnv({ OPENAI_API_KEY: "sk-rejected-0123456789" }));
    expect(rejected.job.state).toBe("dead");
    expect(leadsOf(rejected.id)).toBe(10);
    expect((await runCli(["jobs", "retry", String(rejected.id)], db)).code).toBe(0);
    await runCli(["process"], db, { env: llmEnv() });
    const shown = await runJson(["jobs", "show", String(rejected.id)], db);
    expect(shown.job.state).toBe("completed");
    const r = shown.job.result;
    expect(r).toMatchObject({ created: 10, analysis: { analysed: 10, failed: 0 } });
    expect(r.found).toBe(r.created + r.skipped.existing + r.skipped.reklamsparr + r.skipped.inactive);
    expect(shown.attempts.at(-1).metrics).toMatchObject({ found: r.found, created: 10, analysed: 10 });
  });

  it("a provider answering 200 with an empty body: every analysis failed, so the run does not complete", async () => {
    const db = await seeded();
    fake.emptyAnswers(100);
    const run = await runJob(
      db,
      "leads.search_and_analyze",
      { search_query: "e-handel", max_results: 10, llm_provider: "openai" },
      llmEnv({ LEADJOBS_LLM_MAX_RETRIES: "0" }),
    );
    expect(run.job.state).toBe("dead");
    expect(run.job.lastError).toMatch(/^every analysis failed \(10 of 10 leads\): /);
    expect(run.job.progress?.message ?? "").not.toMatch(/analysed 10\/10/);
    expect(query(db, "select status, count(*) n from lead_analysis where job_id = ? group by status order by status", run.id)).toEqual([
      { status: "failed", n: 10 },
    ]);
  });

  it("leads analyze runs now with --max-cost; a provider without its key exits 69 before writing", async () => {
    const db = await seeded();
    const r = await runJson(
      ["leads", "analyze", "--provider", "openai", "--not-analysed-since", "1d", "--limit", "12", "--max-cost", "0.0006"],
      db,
      { env: llmEnv() },
    );
    expect(r).toMatchObject({ selected: 12, provider: "openai", model: "gpt-4o-mini", protocol: "quick" });
    expect(r.notAnalysed).toBeGreaterThan(0);
    expect(r.analysed + r.notAnalysed).toBe(12);
    expect(r.costMicroUsd).toBeLessThanOrEqual(600);
    const jobs = (await runJson(["jobs", "list"], db)).jobs.length;
    const noKey = await runCli(["leads", "analyze", "1", "--provider", "gemini"], db, { env: llmEnv({ GEMINI_API_KEY: undefined }) });
    expect(noKey.code).toBe(69);
    expect(noKey.stderr).toMatch(/GEMINI_API_KEY is not set/);
    expect((await runCli(["leads", "analyze", "1", "--protocol", "deeper"], db)).code).toBe(2);
    expect((await runCli(["leads", "analyze", "--max-cost", "-1"], db)).code).toBe(2);
    expect((await runJson(["jobs", "list"], db)).jobs.length).toBe(jobs);
    // Rate limited for an hour: the job waits in the queue for `process` (exit 75), with the reason.
    fake.rateLimit(1, "3600");
    const limited = await runCli(["leads", "analyze", "1", "--provider", "openai"], db, { env: llmEnv() });
    expect(limited.code).toBe(75);
    expect(limited.stderr).toMatch(
      /^leadjobs: analysis job \d+ snoozed: .*asks to wait 3600 s.*\(`leadjobs process` continues it in (1h|59m \d+s)\)\n$/,
    );
  });

  it("kill -9 in the middle of an analysis run: the retry analyses each lead once", async () => {
    const db = await seeded();
    await runJson(
      [
        "jobs",
        "add",
        "leads.search_and_analyze",
        "--payload",
        JSON.stringify({
          search_query: "",
          search_filters: { industry: "4" },
          max_results: 10,
          analysis_protocol: "quick",
          llm_provider: "openai",
        }),
      ],
      db,
    );
    fake.delay(400);
    const victim = spawnCli(["process", "--lease", "2s"], db, { env: llmEnv() });
    const done = finished(victim);
    try {
      for (let i = 0; i < 300; i++) {
        if ((scalar(db, "select count(*) from lead_analysis where job_id = 1") as number) >= 3) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      victim.kill("SIGKILL");
      expect((await done).signal).toBe("SIGKILL");
      const before = scalar(db, "select count(*) from lead_analysis where job_id = 1") as number;
      expect(before).toBeGreaterThanOrEqual(3);
      expect(before).toBeLessThan(10);
    } finally {
      fake.delay(0);
    }
    const rerun = await runCli(["process", "--json"], db, { env: llmEnv() });
    expect(JSON.parse(rerun.stdout)).toMatchObject({ rescued: 1, completed: 1 });
    const job = await runJson(["jobs", "show", "1"], db);
    expect(job.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["lost", "completed"]);
    expect(job.attempts[1].metrics).toMatchObject({ created: 10, analysed: 10 });
    expect(scalar(db, "select count(*) from lead where source = 'job:1'")).toBe(10);
    expect(query(db, "select count(*) as n, count(distinct lead_id) as leads from lead_analysis where job_id = 1")).toEqual([
      { n: 10, leads: 10 },
    ]);
  });
});
