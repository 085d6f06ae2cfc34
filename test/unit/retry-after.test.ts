import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryAfterFromHeaders } from "../../src/core/util/retry-after.ts";
import { backoffDelay } from "../../src/core/util/backoff.ts";

const NOW = Date.parse("2026-10-21T07:27:00Z");
const headers = (o: Record<string, string>) => ({ get: (n: string) => o[n] ?? null });

describe("Retry-After", () => {
  it("reads delta-seconds, whole or fractional, with spaces around", () => {
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter(" 7 ", NOW)).toBe(7000);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
    expect(parseRetryAfter("0", NOW)).toBe(0);
  });

  it("reads an HTTP-date in the future as the time until then, in all three forms", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", NOW)).toBe(60_000);
    expect(parseRetryAfter("Wednesday, 21-Oct-26 07:28:00 GMT", NOW)).toBe(60_000);
    expect(parseRetryAfter("Wed Oct 21 07:28:00 2026", NOW)).toBe(60_000);
  });

  it("reads an HTTP-date in the past as now", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).toBe(0);
  });

  it("ignores what is absent or garbage (the caller's own backoff applies)", () => {
    for (const v of [undefined, null, "", "  ", "soon", "-5", "1e3", "0x10", "foo 12", "12 monkeys", "Wed, 99 Foo 2026 07:28:00 GMT"]) {
      expect(parseRetryAfter(v, NOW), String(v)).toBeUndefined();
    }
  });

  it("caps huge values, as seconds or as a far date, at a day unless told otherwise", () => {
    expect(parseRetryAfter("99999999999999999999", NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("7200", NOW, 3_600_000)).toBe(3_600_000);
    expect(Number.isFinite(NOW + (parseRetryAfter("1".repeat(400), NOW) ?? 0))).toBe(true);
  });

  it("takes retry-after-ms first from headers, then Retry-After", () => {
    expect(retryAfterFromHeaders(headers({ "retry-after-ms": "250", "retry-after": "7" }), NOW)).toBe(250);
    expect(retryAfterFromHeaders(headers({ "retry-after-ms": "junk", "retry-after": "7" }), NOW)).toBe(7000);
    expect(retryAfterFromHeaders(headers({ "retry-after-ms": "1e99" }), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(headers({}), NOW)).toBeUndefined();
    expect(retryAfterFromHeaders(undefined, NOW)).toBeUndefined();
  });
});

describe("backoff without a job policy (the HTTP clients' form)", () => {
  it("doubles from the base up to the cap, jitter spreading after the cap", () => {
    const b = { delaysMs: [1000], maxDelayMs: 60_000, jitter: 0 };
    expect([1, 2, 3, 4, 7, 8, 100].map((n) => backoffDelay(n, b, Math.random))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
    const jittered = { ...b, jitter: 0.2 };
    expect(backoffDelay(1, jittered, () => 0)).toBe(800);
    expect(backoffDelay(1, jittered, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, jittered, () => 0.999999)).toBe(72_000);
  });

  it("an empty table waits the cap", () => {
    expect(backoffDelay(1, { delaysMs: [], maxDelayMs: 5000, jitter: 0 }, Math.random)).toBe(5000);
  });
});
