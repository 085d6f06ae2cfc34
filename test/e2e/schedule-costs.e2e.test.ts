import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

const NOW = "2026-03-01T00:00:00Z";
const preview = (payload: object) => [
  "schedule",
  "preview",
  "--cron",
  "0 6 * * *",
  "--type",
  "leads.analyze",
  "--payload",
  JSON.stringify(payload),
  "--now",
  NOW,
];

// `schedule preview`'s monthly cost through the real binary: exact per run, capped, or unknown.
describe("schedule preview costs", () => {
  it("multiplies the exact cost of a run (never rounded up to a cent first)", async () => {
    // 10 leads × quick on gpt-4o-mini: 10 × (450 × 0.15 + 150 × 0.6) µ$ = 1,575 µ$ a run.
    const r = await runCli(preview({ selector: { limit: 10 }, llm_provider: "openai" }), undefined);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /estimated cost: 30 runs in 30 days × 0\.0016 USD ≈ 0\.047\d USD a month \(10 leads × quick on openai\/gpt-4o-mini/,
    );
    expect(r.stdout).not.toContain("flat");
    const json = await runJson(preview({ selector: { limit: 10 }, llm_provider: "openai" }), undefined);
    expect(json.monthlyCost).toMatchObject({ runsPerMonth: 30, perRunMinor: 0.1575, monthlyMinor: 4.725, currency: "USD", flat: null });
  });

  it("shows a protocol's configured flat rate per lead beside the token-based figure (leadRates)", async () => {
    const config = join(tempDir(), "config.json");
    writeFileSync(config, JSON.stringify({ leadRates: { quick: 0.05, deep: 0.4 } }));
    const args = ["--config", config, ...preview({ selector: { limit: 10 }, llm_provider: "openai" })];
    const r = await runCli(args, undefined);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(
      /≈ 0\.047\d USD a month \(10 leads × quick on openai.*\); flat 0\.0500 USD per lead → 15\.00 USD a month \(10 leads a run, leadRates\.quick\)$/m,
    );
    const json = await runJson(args, undefined);
    expect(json.monthlyCost).toMatchObject({
      monthlyMinor: 4.725,
      flat: { unit: "lead", perUnitMinor: 5, unitsPerRun: 10, perRunMinor: 50, monthlyMinor: 1500, source: "leadRates.quick" },
    });
    // A protocol without a rate has no flat figure; the rate also comes from the environment.
    const deepPro = await runJson(
      ["--config", config, ...preview({ selector: { limit: 10 }, llm_provider: "openai", analysis_protocol: "deep-pro" })],
      undefined,
    );
    expect(deepPro.monthlyCost.flat).toBeNull();
    const fromEnv = await runJson(preview({ selector: { limit: 10 }, analysis_protocol: "batch" }), undefined, {
      env: { LEADJOBS_LEAD_RATES: '{"batch": 0.01}' },
    });
    expect(fromEnv.monthlyCost).toMatchObject({ monthlyMinor: 0, flat: { perRunMinor: 10, monthlyMinor: 300 } });
  });

  it("a leadRates setting that is not a protocol -> non-negative amount: one line, exit 2", async () => {
    for (const [value, message] of [
      ['{"quik": 0.05}', /unknown protocol "quik" in the leadRates setting \(did you mean "quick"\?\)/],
      ['{"quick": -1}', /invalid LEADJOBS_LEAD_RATES: the amount of "quick" must be a number >= 0/],
      ["0.05", /invalid LEADJOBS_LEAD_RATES.*expected an object/],
    ] as const) {
      const r = await runCli(preview({ selector: { limit: 10 } }), undefined, { env: { LEADJOBS_LEAD_RATES: value } });
      expect([r.code, r.stdout], value).toEqual([2, ""]);
      expect(r.stderr.trim().split("\n"), value).toEqual([expect.stringMatching(message)]);
    }
  });

  it("caps each run at max_cost_usd", async () => {
    const json = await runJson(
      preview({ selector: { limit: 500 }, llm_provider: "openai", model: "gpt-4o", max_cost_usd: 0.5 }),
      undefined,
    );
    expect(json.monthlyCost).toMatchObject({
      perRunMinor: 50,
      monthlyMinor: 1500,
      basis: expect.stringMatching(/capped by max_cost_usd at \$0\.5000$/),
    });
  });

  it("says an unknown model's price is unknown, not 0.00 USD", async () => {
    const r = await runCli(preview({ selector: { limit: 10 }, llm_provider: "custom", model: "my-own-model" }), undefined, {
      env: { LEADJOBS_CUSTOM_BASE_URL: "http://127.0.0.1:9/v1" },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /estimated cost: 30 runs in 30 days × unknown price ≈ unknown price a month \(10 leads × quick on custom\/my-own-model: unknown price/,
    );
    expect(r.stdout).not.toMatch(/0\.00 USD/);
  });

  it("prices a model from the llmPrices setting", async () => {
    const r = await runJson(preview({ selector: { limit: 10 }, llm_provider: "custom", model: "my-own-model" }), undefined, {
      env: { LEADJOBS_CUSTOM_BASE_URL: "http://127.0.0.1:9/v1", LEADJOBS_LLM_PRICES: '{"my-own-model": {"input": 1, "output": 2}}' },
    });
    expect(r.monthlyCost.perRunMinor).toBeGreaterThan(0);
    expect(r.monthlyCost.basis).toMatch(/custom\/my-own-model \(.* at \$1\/\$2 per M\)/);
  });
});
