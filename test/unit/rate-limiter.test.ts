import { describe, expect, it } from "vitest";
import { brandRateFor, collectionLimiters, parseBrandRates, parseProviderRates, rateFor } from "../../src/core/brands/collect-limits.ts";
import { RateLimiter } from "../../src/core/util/rate-limiter.ts";

/** A clock that only moves when the limiter sleeps (or the test says so). */
function fakeTime(start = 1_000_000) {
  const t = { now: start, slept: [] as number[] };
  return {
    t,
    clock: () => t.now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      t.slept.push(ms);
      t.now += ms;
    },
  };
}

describe("rate limiter", () => {
  it("spaces requests evenly at the rate (60 a minute: one a second)", () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 60, clock: f.clock });
    expect([l.reserve(), l.reserve(), l.reserve()]).toEqual([0, 1000, 2000]);
    f.t.now += 10_000; // idle: the next one goes at once, without a burst of saved-up slots
    expect([l.reserve(), l.reserve()]).toEqual([0, 1000]);
  });

  it("a burst lets that many go at once, then the rate applies", () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 120, burst: 3, clock: f.clock });
    expect([l.reserve(), l.reserve(), l.reserve(), l.reserve(), l.reserve()]).toEqual([0, 0, 0, 500, 1000]);
    f.t.now += 3000; // the bucket has refilled: three at once again
    expect([l.reserve(), l.reserve(), l.reserve(), l.reserve()]).toEqual([0, 0, 0, 500]);
  });

  it("no limit (0 a minute) never waits", () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 0, clock: f.clock });
    expect(Array.from({ length: 5 }, () => l.reserve())).toEqual([0, 0, 0, 0, 0]);
  });

  it("acquire sleeps for its slot", async () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 30, clock: f.clock, sleep: f.sleep });
    await l.acquire();
    await l.acquire();
    await l.acquire();
    expect(f.t.slept).toEqual([2000, 2000]);
  });

  it("block (a 429's Retry-After) holds everyone until then, and resumes at the plain rate without a burst", async () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 60, burst: 4, clock: f.clock, sleep: f.sleep });
    await l.acquire();
    l.block(30_000);
    expect(l.blockedUntilMs()).toBe(1_000_000 + 30_000);
    expect([l.reserve(), l.reserve()]).toEqual([30_000, 31_000]);
    // A shorter block does not shorten the longer one.
    l.block(5000);
    expect(l.blockedUntilMs()).toBe(1_030_000);
    f.t.now += 40_000;
    expect(l.blockedUntilMs()).toBeNull();
  });

  it("a block that comes while a caller sleeps for its slot holds that caller too", async () => {
    const t = { now: 0, slept: [] as number[] };
    let l!: RateLimiter;
    const sleep = async (ms: number) => {
      t.slept.push(ms);
      if (t.slept.length === 1) l.block(10_000); // another lane's request got a 429 meanwhile
      t.now += ms;
    };
    l = new RateLimiter({ perMinute: 60, clock: () => t.now, sleep });
    l.reserve(); // someone took the first slot
    await l.acquire();
    expect(t.slept).toEqual([1000, 9000]);
    expect(t.now).toBe(10_000);
  });

  it("callers waiting for their slots when a block comes go one by one after it, not all at once", async () => {
    // A clock that only moves to the next sleeper's wake-up time: concurrent sleeps, no real time.
    let now = 0;
    const timers: Array<{ at: number; wake: () => void }> = [];
    const sleep = (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake }));
    const l = new RateLimiter({ perMinute: 60, clock: () => now, sleep });
    const went: number[] = [];
    const callers = [l.acquire(), l.acquire(), l.acquire()].map((p) => p.then(() => went.push(now)));
    await Promise.resolve();
    l.block(10_000); // the first caller's request got a 429 with Retry-After: 10
    for (let settled = false; !settled; ) {
      await new Promise((r) => setImmediate(r));
      const next = timers.sort((a, b) => a.at - b.at).shift();
      if (next) {
        now = next.at;
        next.wake();
      } else settled = true;
    }
    await Promise.all(callers);
    expect(went).toEqual([0, 10_000, 11_000]);
  });

  it("an aborted signal stops a waiting caller with the signal's reason", async () => {
    const f = fakeTime();
    const l = new RateLimiter({ perMinute: 1, clock: f.clock, sleep: f.sleep });
    await l.acquire();
    const c = new AbortController();
    c.abort("cancelled");
    await expect(l.acquire(c.signal)).rejects.toBe("cancelled");
  });

  it("the brandProviderRpm setting: a default and per-provider rates", () => {
    const r = parseProviderRates("30, perplexity:20, ollama=0");
    expect([rateFor(r, "openai"), rateFor(r, "perplexity"), rateFor(r, "ollama")]).toEqual([30, 20, 0]);
    expect(rateFor(parseProviderRates("groq:10"), "openai")).toBe(60);
    expect(() => parseProviderRates("fast")).toThrow(/invalid brandProviderRpm "fast"/);
  });

  it("the brandRpm setting: a default and per-brand rates by name (any case) or id", () => {
    const r = parseBrandRates("30, Early Bird:5, 7:2");
    const rate = (id: number, name: string) => brandRateFor(r, { id, name });
    expect([rate(1, "Budbee"), rate(2, "early bird"), rate(7, "Airmee")]).toEqual([30, 5, 2]);
    expect(() => parseBrandRates("Budbee")).toThrow(/invalid brandRpm "Budbee"/);
  });

  it("two brands of one customer are limited separately; one brand's limit holds; their customer's is shared", () => {
    let now = 1_000_000;
    const clock = () => now;
    const settings = { brandProviderRpm: "0", brandRpm: "0,Budbee:2", brandCustomerRpm: 0 };
    // Ids unique to this test: the limiters are shared by everything in the process.
    const budbee = collectionLimiters({ id: 9001, name: "Budbee", customer_id: 9100 }, settings, clock);
    const instabox = collectionLimiters({ id: 9002, name: "Instabox", customer_id: 9100 }, settings, clock);
    // Budbee: 2 a minute, so each question waits 30 s for the one before.
    expect([budbee.brand.reserve(), budbee.brand.reserve(), budbee.brand.reserve()]).toEqual([0, 30_000, 60_000]);
    // Instabox, the same customer's, is not held up by Budbee's queue (no limit of its own here).
    expect([instabox.brand.reserve(), instabox.brand.reserve()]).toEqual([0, 0]);
    now += 60_000;
    expect(budbee.brand.reserve()).toBe(30_000);
    // With a customer limit, the customer's bucket is one for both brands.
    const both = { ...settings, brandCustomerRpm: 1 };
    const a = collectionLimiters({ id: 9003, name: "A", customer_id: 9101 }, both, clock);
    const b = collectionLimiters({ id: 9004, name: "B", customer_id: 9101 }, both, clock);
    expect([a.customer.reserve(), b.customer.reserve()]).toEqual([0, 60_000]);
    expect(a.brand).not.toBe(b.brand);
  });
});
