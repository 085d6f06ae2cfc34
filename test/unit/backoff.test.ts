import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, retryPolicy } from "../../src/core/queue/backoff.ts";
import { backoffDelay } from "../../src/core/util/backoff.ts";

const noJitter = () => 0.5; // random()*2-1 = 0

describe("backoff", () => {
  it("follows the default schedule of about 1, 5 and 15 minutes", () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, noJitter)).toBe(60_000);
    expect(backoffDelay(2, DEFAULT_RETRY_POLICY, noJitter)).toBe(300_000);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, noJitter)).toBe(900_000);
  });

  it("doubles past the table and stops at the cap", () => {
    expect(backoffDelay(4, DEFAULT_RETRY_POLICY, noJitter)).toBe(1_800_000);
    expect(backoffDelay(5, DEFAULT_RETRY_POLICY, noJitter)).toBe(3_600_000);
    expect(backoffDelay(50, DEFAULT_RETRY_POLICY, noJitter)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it("spreads delays by the jitter, both ways", () => {
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(54_000);
    expect(backoffDelay(1, DEFAULT_RETRY_POLICY, () => 0.999999)).toBeCloseTo(66_000, -1);
    const seen = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(1, DEFAULT_RETRY_POLICY, () => i / 50)));
    expect(seen.size).toBeGreaterThan(40);
  });

  it("takes per-type overrides", () => {
    const p = retryPolicy({ maxAttempts: 4, delaysMs: [1000], jitter: 0 });
    expect(p.maxAttempts).toBe(4);
    expect([1, 2, 3].map((n) => backoffDelay(n, p, Math.random))).toEqual([1000, 2000, 4000]);
  });
});
