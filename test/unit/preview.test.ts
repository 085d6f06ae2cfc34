import { z } from "zod";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/config.ts";
import type { JobDefinition } from "../../src/core/jobs/types.ts";
import { parseCron } from "../../src/core/schedule/cron.ts";
import { estimateMonthlyCost, formatMinor, previewFires } from "../../src/core/schedule/preview.ts";
import { zoneRules } from "../../src/core/schedule/zone.ts";

// A job type that can say what a run costs, as the LLM-backed types will.
const priced: JobDefinition<{ leads: number }> = {
  type: "priced",
  summary: "test fixture",
  payload: z.strictObject({ leads: z.number() }),
  run: async () => undefined,
  estimateRunCost: (p) => ({ amountMinor: p.leads * 12, currency: "SEK", basis: `${p.leads} leads × 0.12 SEK` }),
};
const timing = (expr: string) => ({ cron: parseCron(expr), zone: zoneRules("Europe/Stockholm") });
const FROM = Date.parse("2026-03-01T00:00:00Z");
const CONFIG = resolveConfig({}, {}, {});

describe("schedule preview", () => {
  it("estimates the cost of the next 30 days from the type's cost per run", () => {
    expect(estimateMonthlyCost(priced as JobDefinition<unknown>, { leads: 50 }, timing("0 6 * * 1-5"), FROM, CONFIG)).toEqual({
      runsPerMonth: 21,
      perRunMinor: 600,
      monthlyMinor: 12_600,
      currency: "SEK",
      basis: "50 leads × 0.12 SEK",
      flat: null,
    });
    const { estimateRunCost: _, ...free } = priced;
    // Never rounded per run: 30 runs of 0.16 cents are 4.8 cents, not 30 cents.
    const cheap = { ...priced, estimateRunCost: () => ({ amountMinor: 0.16, currency: "USD", basis: "cheap" }) };
    const month = estimateMonthlyCost(cheap as JobDefinition<unknown>, { leads: 1 }, timing("0 6 * * *"), FROM, CONFIG);
    expect(month).toMatchObject({ runsPerMonth: 30, perRunMinor: 0.16, monthlyMinor: 4.8 });
    expect([formatMinor(month?.perRunMinor ?? 0, "USD"), formatMinor(month?.monthlyMinor ?? 0, "USD")]).toEqual([
      "0.0016 USD",
      "0.0480 USD",
    ]);
    const unknown = { ...priced, estimateRunCost: () => ({ amountMinor: null, currency: "USD", basis: "unknown price" }) };
    expect(estimateMonthlyCost(unknown as JobDefinition<unknown>, { leads: 1 }, timing("0 6 * * *"), FROM, CONFIG)).toMatchObject({
      perRunMinor: null,
      monthlyMinor: null,
    });
    expect(formatMinor(null, "USD")).toBe("unknown price");
    expect(estimateMonthlyCost(free as JobDefinition<unknown>, { leads: 50 }, timing("0 6 * * *"), FROM, CONFIG)).toBeNull();
  });

  it("marks runs the DST policy moved", () => {
    const fires = previewFires(timing("30 2 * * *"), Date.parse("2026-03-28T00:00:00Z"), 3);
    expect(fires.map((f) => [new Date(f.at).toISOString(), f.movedByDst])).toEqual([
      ["2026-03-28T01:30:00.000Z", false],
      ["2026-03-29T01:00:00.000Z", true],
      ["2026-03-30T00:30:00.000Z", false],
    ]);
  });
});
