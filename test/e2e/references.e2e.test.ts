import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson, scheduleAddArgs } from "../helpers/cli.ts";
import { counts, writeSync } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// Payloads that can only fail are refused when a job or schedule is added (or run now):
// one line, exit 2, nothing written.
describe("references in payloads", () => {
  it("an unknown terminal, provider, model, brand or collector is refused at add", async () => {
    const db = join(tempDir(), "refs.db");
    await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
    await runJson(["terminals", "add", "Stockholm"], db);
    const tables = ["job", "schedule", "schedule_audit", "notification"];
    const before = counts(db, tables);
    const schedule = (type: string, payload: object) => scheduleAddArgs("x", type, payload);
    const cases: Array<[string[], RegExp]> = [
      [["leads", "analyze", "--terminal", "nowhere"], /selector\.terminal: no terminal "nowhere"/],
      [
        ["jobs", "add", "leads.analyze", "--payload", '{"selector":{"terminal":"nowhere"}}'],
        /invalid payload for leads\.analyze: selector\.terminal: no terminal "nowhere" \(terminals: Stockholm\)/,
      ],
      [["jobs", "add", "leads.search", "--payload", '{"assign_to_terminal":"Göteborg"}'], /assign_to_terminal: no terminal "Göteborg"/],
      [
        ["jobs", "add", "leads.analyze", "--payload", '{"selector":{},"llm_provider":"mistral"}'],
        /llm_provider: unknown LLM provider "mistral"/,
      ],
      [
        ["jobs", "add", "leads.analyze", "--payload", '{"selector":{},"llm_provider":"openai","model":"gpt-9-turbo"}'],
        /model: unknown openai model "gpt-9-turbo"/,
      ],
      [schedule("brand.score", { brand: "NoSuchBrand" }), /invalid payload for brand\.score: no brand "NoSuchBrand"/],
      [schedule("brand.collect", { brand: "Budbee", collectors: "openai,mistral" }), /collectors: unknown collector "mistral": known are /],
      [
        [...schedule("noop", {}), "--then", "brand.score", "--then-payload", '{"brand":"Nope"}'],
        /invalid payload for brand\.score \(--then-payload\): no brand "Nope"/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(counts(db, tables)).toEqual(before);
  });

  it("a model is free where the set is not known: a provider pointed at another server, ollama, custom", async () => {
    const db = join(tempDir(), "refs-ok.db");
    const add = (payload: object, env: Record<string, string> = {}) =>
      runCli(["jobs", "add", "leads.analyze", "--payload", JSON.stringify(payload)], db, { env });
    expect(
      (await add({ selector: {}, llm_provider: "openai", model: "gpt-9-turbo" }, { LEADJOBS_OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }))
        .code,
    ).toBe(0);
    expect((await add({ selector: {}, llm_provider: "ollama", model: "anything:7b" })).code).toBe(0);
    expect((await add({ selector: {}, llm_provider: "openai", model: "gpt-4o-mini-2024-07-18" })).code).toBe(0);
    expect(
      (await add({ selector: {}, llm_provider: "openai", model: "my-finetune" }, { LEADJOBS_LLM_PRICES: '{"my-finetune":[1,2]}' })).code,
    ).toBe(0);
  });

  it("a reference that is gone by the time the job runs kills it at once", async () => {
    const db = join(tempDir(), "refs-gone.db");
    await runJson(["brands", "add", "Budbee", "--customer", "Budbee AB"], db);
    const added = await runJson(["jobs", "add", "brand.score", "--payload", '{"brand":"Budbee"}'], db);
    writeSync(db, "update brand set name = 'Budbee Nordic'"); // renamed since: the payload names no brand now
    await runCli(["process"], db);
    const shown = await runJson(["jobs", "show", String(added.jobs[0].id)], db);
    expect(shown.job).toMatchObject({
      state: "dead",
      lastError: expect.stringMatching(/^invalid payload for brand\.score: no brand "Budbee"/),
    });
    expect(shown.attempts).toHaveLength(1);
  });
});
