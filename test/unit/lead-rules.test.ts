import { describe, expect, it } from "vitest";
import { z } from "zod";
import { answerSpec } from "../../src/core/integrations/llm/answer-schema.ts";
import { checkJsonAnswer } from "../../src/core/integrations/llm/json-output.ts";
import { redactSecrets } from "../../src/core/integrations/llm/errors.ts";
import { retryAfterFromHeaders } from "../../src/core/util/retry-after.ts";
import { costMicroUsd, formatUsd, parsePriceSetting, PriceTable } from "../../src/core/integrations/llm/prices.ts";
import { matchTerminal, parsePostcodeRange, type AssignmentRule } from "../../src/core/leads/assign.ts";
import { estimateAnalysisCost } from "../../src/core/leads/cost-estimate.ts";
import type { LeadFacts } from "../../src/core/leads/facts.ts";
import { leadsAnalyzePayload, leadsSearchAndAnalyzePayload, leadsSearchPayload } from "../../src/core/leads/payloads.ts";
import { answerSchema, PROTOCOLS } from "../../src/core/leads/protocols.ts";
import { scoreLead } from "../../src/core/leads/rules-provider.ts";

const rule = (id: number, terminalId: number, kind: AssignmentRule["kind"], value: string): AssignmentRule => {
  const range = kind === "postcode" ? parsePostcodeRange(value) : null;
  return { id, terminalId, kind, value, postcodeFrom: range?.from ?? null, postcodeTo: range?.to ?? null };
};

describe("terminal assignment", () => {
  const rules = [
    rule(1, 10, "sni", "4791"),
    rule(2, 20, "municipality", "Göteborg"),
    rule(3, 30, "town", "malmo"),
    rule(4, 40, "postcode", "100-199"),
  ];
  const company = (o: Partial<{ town: string; municipality: string; postcode: string; sniCodes: string[] }>) => ({
    town: null,
    municipality: null,
    postcode: null,
    sniCodes: [],
    ...o,
  });

  it("first match wins, in rule order; towns compare without case and diacritics", () => {
    expect(matchTerminal(rules, null, company({ sniCodes: ["47910"], municipality: "Göteborg" }))).toEqual({
      terminalId: 10,
      ruleId: 1,
      reason: "rule 1: SNI 4791*",
    });
    expect(matchTerminal(rules, null, company({ municipality: "GÖTEBORG" }))?.terminalId).toBe(20);
    expect(matchTerminal(rules, null, company({ town: "Malmö" }))?.terminalId).toBe(30);
    expect(matchTerminal(rules, null, company({ postcode: "113 22" }))?.terminalId).toBe(40);
    expect(matchTerminal(rules, null, company({ postcode: "200 01" }))).toBeNull();
    expect(matchTerminal(rules, 99, company({ postcode: "200 01" }))).toEqual({ terminalId: 99, ruleId: null, reason: "default terminal" });
  });

  it("postcode ranges: full, prefixes, single prefix; bad ones refused", () => {
    expect(parsePostcodeRange("100 00-199 99")).toEqual({ from: 10000, to: 19999, text: "100 00-199 99" });
    expect(parsePostcodeRange("100-199")).toEqual({ from: 10000, to: 19999, text: "100 00-199 99" });
    expect(parsePostcodeRange("113")).toEqual({ from: 11300, to: 11399, text: "113 00-113 99" });
    expect(() => parsePostcodeRange("300-200")).toThrow(/after/);
    expect(() => parsePostcodeRange("abc")).toThrow(/invalid postcode range/);
  });
});

const facts = (o: Partial<LeadFacts>): LeadFacts => ({
  orgnr: "5560160680",
  name: "Åkesson AB",
  legal_form: "AB",
  status: "active",
  town: "Göteborg",
  municipality: "Göteborg",
  sni: [],
  employees: null,
  revenue_tkr: null,
  website: null,
  reklamsparr: false,
  ...o,
});

describe("the offline rules provider's score", () => {
  it("scores web shops high and explains why", () => {
    const v = scoreLead(
      facts({
        sni: [{ code: "47910", title: null }],
        employees: 25,
        website: "https://x.se",
        website_analysis: { platform: "Shopify", carriers: ["PostNord", "Budbee"] },
      }),
    );
    expect(v.segment).toBe("ecommerce");
    expect(v.fit_score).toBeGreaterThanOrEqual(80);
    expect(v.reasons[0]).toMatch(/sells online/);
    expect(v.reasons.join(" ")).toMatch(/Shopify/);
    expect(v.next_step).toMatch(/Call/);
  });

  it("is deterministic, caps inactive companies and lowers reklamspärr", () => {
    const f = facts({ sni: [{ code: "46900", title: null }], employees: 60, revenue_tkr: 80_000 });
    expect(scoreLead(f)).toEqual(scoreLead(f));
    expect(scoreLead({ ...f, status: "bankruptcy" })).toMatchObject({
      fit_score: 5,
      volume_class: "none",
      next_step: expect.stringMatching(/Do not contact/),
    });
    expect(scoreLead({ ...f, reklamsparr: true }).fit_score).toBe(scoreLead(f).fit_score - 10);
  });

  it("takes the most specific industry of a code: a bakery is food production, not any manufacturing", () => {
    const bakery = scoreLead(facts({ sni: [{ code: "10710", title: null }] }));
    expect(bakery.segment).toBe("food");
    expect(bakery.reasons).toContain("food production: chilled and dry deliveries");
    expect(scoreLead(facts({ sni: [{ code: "16100", title: null }] })).segment).toBe("manufacturing");
    expect(scoreLead(facts({ sni: [{ code: "47910", title: null }] })).segment).toBe("ecommerce");
  });

  it("answers every protocol's schema", () => {
    for (const p of Object.values(PROTOCOLS)) {
      const spec = answerSchema(p);
      const lead = (p.leadsPerCall > 1 ? (spec.schema.properties as { results: { items: unknown } }).results.items : spec.schema) as {
        properties: Record<string, unknown>;
      };
      const props = Object.keys(lead.properties).filter((k) => k !== "orgnr");
      const v = scoreLead(facts({ sni: [{ code: "10710", title: null }] }), props);
      expect(spec.zod.safeParse(p.leadsPerCall > 1 ? { results: [{ orgnr: "5560160680", ...v }] } : v)).toMatchObject({ success: true });
    }
  });
});

describe("JSON answers", () => {
  const spec = answerSpec("t", z.strictObject({ a: z.int().min(0).max(9) }));
  it("declares the answer with zod: the JSON Schema sent, the check with paths; reads JSON out of prose and fences", () => {
    expect(spec.schema).toEqual({
      type: "object",
      additionalProperties: false,
      required: ["a"],
      properties: { a: { type: "integer", minimum: 0, maximum: 9 } },
    });
    expect(checkJsonAnswer('{"a": 12, "b": 1}', spec)).toEqual({
      ok: false,
      reason: "the JSON does not match the schema: $.a: Too big: expected number to be <=9; $.b: not allowed",
    });
    expect(checkJsonAnswer("{}", spec)).toEqual({ ok: false, reason: "the JSON does not match the schema: $.a: missing" });
    expect(checkJsonAnswer('Here:\n```json\n{"a": 3}\n```', spec)).toEqual({ ok: true, value: { a: 3 } });
    expect(checkJsonAnswer("no json", spec)).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
    expect(checkJsonAnswer('{"a": "3"}', spec)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/\$\.a: Invalid input: expected number, received string/),
    });
  });

  it("Retry-After in seconds, milliseconds or as a date; secrets redacted", () => {
    const h = (o: Record<string, string>) => ({ get: (n: string) => o[n] ?? null });
    expect(retryAfterFromHeaders(h({ "retry-after": "7" }), Date.now())).toBe(7000);
    expect(retryAfterFromHeaders(h({ "retry-after-ms": "250" }), Date.now())).toBe(250);
    expect(retryAfterFromHeaders(h({ "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" }), Date.parse("2026-10-21T07:27:00Z"))).toBe(60_000);
    expect(retryAfterFromHeaders(h({}), Date.now())).toBeUndefined();
    expect(redactSecrets("key sk-abcdefghijklmnopqrstuv and Bearer xyz123", [])).toBe("key [redacted] and Bearer [redacted]");
  });
});

describe("prices and estimates", () => {
  it("looks prices up by model, dated variants and overrides; cost in micro-dollars", () => {
    const t = new PriceTable(parsePriceSetting('{"my-model": [1, 2], "gpt-4o-mini": {"input": 0.2, "output": 0.8}}'));
    expect(t.priceOf("openai", "gpt-4o-mini-2024-07-18")).toEqual({ input: 0.2, output: 0.8 });
    expect(t.priceOf("custom", "my-model")).toEqual({ input: 1, output: 2 });
    expect(t.priceOf("openai", "unknown-model")).toBeNull();
    expect(costMicroUsd({ input: 0.15, output: 0.6 }, { inputTokens: 450, outputTokens: 150 })).toBe(158);
    expect(formatUsd(158)).toBe("$0.0002");
    expect(formatUsd(12_345_678)).toBe("$12.35");
    expect(() => parsePriceSetting('{"x": {"input": -1, "output": 1}}')).toThrow(/llmPrices/);
  });

  it("estimates a run from protocol, leads and list price", () => {
    expect(estimateAnalysisCost({ analysis_protocol: "quick" }, 100)).toMatchObject({ amountMinor: 0, currency: "USD" });
    const quick = estimateAnalysisCost({ analysis_protocol: "quick", llm_provider: "openai" }, 100);
    // 100 × (450 × 0.15 + 150 × 0.6) µ$ = 15,750 µ$: 1.575 cents, not rounded up to 2.
    expect(quick).toMatchObject({
      amountMinor: 1.575,
      currency: "USD",
      basis: expect.stringMatching(/100 leads × quick on openai\/gpt-4o-mini/),
    });
    const deepPro = estimateAnalysisCost({ analysis_protocol: "deep-pro", llm_provider: "openai", model: "gpt-4o" }, 50);
    expect(deepPro.amountMinor).toBe((50 * (1400 * 2.5 + 900 * 10)) / 10_000);
  });

  it("caps a run at max_cost_usd, and says an unknown model's price is unknown rather than 0", () => {
    const capped = estimateAnalysisCost({ analysis_protocol: "deep-pro", llm_provider: "openai", model: "gpt-4o", max_cost_usd: 0.1 }, 50);
    expect(capped).toMatchObject({ amountMinor: 10, basis: expect.stringMatching(/≈ \$0\.6250, capped by max_cost_usd at \$0\.1000$/) });
    const unknown = estimateAnalysisCost({ analysis_protocol: "quick", llm_provider: "openai", model: "gpt-9-turbo" }, 50);
    expect(unknown).toMatchObject({ amountMinor: null, basis: expect.stringMatching(/openai\/gpt-9-turbo: unknown price/) });
  });
});

describe("job payloads", () => {
  it("use the seed spec's names with defaults, and refuse what is out of range", () => {
    expect(leadsSearchPayload.parse({ search_query: "logistik" })).toEqual({
      search_query: "logistik",
      search_filters: {},
      max_results: 50,
      auto_assign: true,
    });
    expect(leadsSearchPayload.safeParse({ max_results: 5 }).success).toBe(false);
    expect(leadsSearchPayload.safeParse({ max_results: 501 }).success).toBe(false);
    expect(leadsSearchPayload.safeParse({ search_filters: { region: "x" } }).success).toBe(false);
    expect(leadsAnalyzePayload.safeParse({ analysis_protocol: "quick" }).success).toBe(false);
    expect(leadsAnalyzePayload.parse({ selector: { not_analysed_since: "90d" } })).toMatchObject({
      selector: { limit: 100 },
      analysis_protocol: "quick",
    });
    expect(leadsAnalyzePayload.safeParse({ selector: { not_analysed_since: "soon" } }).success).toBe(false);
    expect(leadsAnalyzePayload.safeParse({ selector: { not_analysed_since: "0d" } }).success).toBe(false);
    expect(leadsSearchAndAnalyzePayload.safeParse({ analysis_protocol: "deeper" }).success).toBe(false);
  });
});
