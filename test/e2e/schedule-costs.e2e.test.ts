import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";

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
    const json = await runJson(preview({ selector: { limit: 10 }, llm_provider: "openai" }), undefined);
    expect(json.monthlyCost).toMatchObject({ runsPerMonth: 30, perRunMinor: 0.1575, monthlyMinor: 4.725, currency: "USD" });
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
});
