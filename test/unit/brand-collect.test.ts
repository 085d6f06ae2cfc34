import { describe, expect, it } from "vitest";
import { estimateCollectionCost } from "../../src/core/brands/collect-estimate.ts";
import { problemOf, type LaneResult } from "../../src/core/brands/collect-run.ts";
import { chosenCollectors, parseCollectors } from "../../src/core/brands/collectors.ts";
import { brandCollectAndScorePayload, brandCollectPayload } from "../../src/core/brands/payloads.ts";
import { UnavailableError } from "../../src/core/errors.ts";

describe("collectors", () => {
  it("provider or provider:model (the model is everything after the first colon), comma lists, duplicates dropped", () => {
    expect(parseCollectors("openai, ollama:llama3.1:8b,OpenAI , perplexity:sonar-pro")).toEqual([
      { provider: "openai", model: undefined },
      { provider: "ollama", model: "llama3.1:8b" },
      { provider: "perplexity", model: "sonar-pro" },
    ]);
    expect(() => parseCollectors(["open ai"])).toThrow(/invalid collector "open ai"/);
  });

  it("the payload's collectors, else the brandCollectors setting, else exit 69", () => {
    expect(chosenCollectors(["groq"], { brandCollectors: "openai" })).toEqual([{ provider: "groq", model: undefined }]);
    expect(chosenCollectors(undefined, { brandCollectors: "openai,gemini" }).map((c) => c.provider)).toEqual(["openai", "gemini"]);
    expect(() => chosenCollectors(undefined, { brandCollectors: undefined as unknown as string })).toThrow(UnavailableError);
    expect(() => chosenCollectors([], { brandCollectors: " , " })).toThrow(/no collector configured/);
  });

  it("payloads use the seed spec's names and refuse what is out of range", () => {
    expect(brandCollectPayload.parse({ brand: "Budbee" })).toEqual({ brand: "Budbee", parallel: 3 });
    expect(brandCollectPayload.parse({ brand: 1, collectors: "openai,ollama", queryLimit: 5, maxCostUsd: 0.5 })).toMatchObject({
      collectors: "openai,ollama",
    });
    expect(brandCollectAndScorePayload.parse({ brand: "Budbee", collectors: ["openai"], sentimentProvider: "lexicon" })).toMatchObject({
      positionLimit: 1000,
    });
    for (const bad of [
      { brand: "" },
      { brand: "B", parallel: 0 },
      { brand: "B", collectors: ["bad name"] },
      { brand: "B", maxCostUsd: -1 },
      { brand: "B", extra: 1 },
      { brand: "B", collectors: [] },
    ]) {
      expect(brandCollectPayload.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(brandCollectAndScorePayload.safeParse({ brand: "B", sentimentProvider: "not one" }).success).toBe(false);
  });
});

describe("estimated cost of a collection run", () => {
  it("queries × collectors × typical tokens × list price; local models cost nothing", () => {
    const e = estimateCollectionCost({ collectors: ["openai", "ollama"], queryLimit: 100 });
    // gpt-4o-mini: 100 × (30 × 0.15 + 600 × 0.6) µ$ = 36,450 µ$ ≈ 3.6 cents, not rounded.
    expect(e).toMatchObject({ amountMinor: 3.645, currency: "USD" });
    expect(e.basis).toMatch(/^100 queries × openai\/gpt-4o-mini, ollama\/llama3\.2 \(~30 in \+ ~600 out tokens an answer\) ≈ \$0\.0365$/);
  });

  it("without queryLimit the figure is per query, and says so; collectors from the setting cannot be seen", () => {
    expect(estimateCollectionCost({ collectors: "gemini:gemini-2.5-pro" }).basis).toMatch(
      /^per active query of the brand \(the estimate does not know how many it has\)/,
    );
    expect(estimateCollectionCost({})).toMatchObject({
      amountMinor: 0,
      basis: expect.stringMatching(/brandCollectors setting, which the estimate cannot see/),
    });
  });

  it("unknown prices are named; a sentiment model adds its calls; maxCostUsd caps a known total", () => {
    expect(estimateCollectionCost({ collectors: ["perplexity:sonar"], queryLimit: 10 })).toMatchObject({
      amountMinor: null,
      basis: expect.stringMatching(/no list price known for perplexity\/sonar: unknown price/),
    });
    const plain = estimateCollectionCost({ collectors: ["openai"], queryLimit: 1000 });
    const withSentiment = estimateCollectionCost({ collectors: ["openai"], queryLimit: 1000, sentimentProvider: "openai" });
    expect(withSentiment.amountMinor).toBeGreaterThan(plain.amountMinor as number);
    expect(estimateCollectionCost({ collectors: ["openai:gpt-4o"], queryLimit: 1000, maxCostUsd: 1 })).toMatchObject({
      amountMinor: 100,
      basis: expect.stringMatching(/capped by maxCostUsd/),
    });
  });
});

describe("how an attempt with stopped collectors ends", () => {
  const lane = (collector: string, stopped: LaneResult["stopped"], stored = 2): LaneResult => ({
    collector,
    asked: 3,
    stored,
    failed: stopped ? 1 : 0,
    alreadyStored: 0,
    notAsked: stopped ? 2 : 0,
    inputTokens: 0,
    outputTokens: 0,
    costMicroUsd: 0,
    priceKnown: true,
    stopped,
  });
  it("nothing stopped, or only the budget: done", () => {
    expect(problemOf([lane("a/x", null), lane("b/y", { kind: "budget", message: "budget" })])).toBeNull();
  });
  it("rate limited only: back after the longest Retry-After; failing: retried; a rejected key: dead", () => {
    expect(
      problemOf([
        lane("a/x", { kind: "rate_limited", retryAfterMs: 60_000, message: "429" }),
        lane("b/y", { kind: "rate_limited", retryAfterMs: 600_000, message: "429" }),
      ]),
    ).toMatchObject({ kind: "retry_later", delayMs: 600_000 });
    expect(
      problemOf([
        lane("a/x", { kind: "rate_limited", retryAfterMs: 1000, message: "429" }),
        lane("b/y", { kind: "failing", message: "503" }),
      ]),
    ).toMatchObject({ kind: "retry" });
    const dead = problemOf([lane("a/x", { kind: "permanent", message: "401 wrong key" }), lane("b/y", null, 3)]);
    expect(dead).toMatchObject({
      kind: "permanent",
      message: "a/x: 401 wrong key (this attempt: 1 failed, 2 not asked); 5 answers stored by this attempt",
    });
  });
});
