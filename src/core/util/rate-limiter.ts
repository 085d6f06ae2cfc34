import type { Clock } from "../types.ts";
import { sleep as defaultSleep } from "./sleep.ts";

export interface RateLimiterOptions {
  /** Requests allowed per minute; 0 or less: no limit. */
  perMinute: number;
  /** Requests that may go at once before the spacing applies (default 1: evenly spaced). */
  burst?: number;
  clock: Clock;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * How long a job waits (snoozes) when a rate limit outlasted the client's own retries: the
 * server's Retry-After, but a minute at least — a snooze does not use up an attempt, so a
 * shorter one would come straight back to the same 429 — and five minutes when it named none.
 */
export function rateLimitWaitMs(retryAfterMs: number | undefined): number {
  return Math.max(60_000, retryAfterMs ?? 5 * 60_000);
}

/**
 * A token bucket kept as one "theoretical arrival time" (GCRA): each request reserves the next
 * free slot, so concurrent callers are spaced without a queue or a timer. `block(ms)` stops every
 * caller until then (a 429's Retry-After) and restarts at the plain rate, without a burst.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private tat = Number.NEGATIVE_INFINITY;
  private blockedUntil = Number.NEGATIVE_INFINITY;

  constructor(o: RateLimiterOptions) {
    this.intervalMs = o.perMinute > 0 ? 60_000 / o.perMinute : 0;
    this.toleranceMs = Math.max(0, Math.floor(o.burst ?? 1) - 1) * this.intervalMs;
    this.clock = o.clock;
    this.sleep = o.sleep ?? defaultSleep;
  }

  /** Reserves the next slot and returns how long to wait for it (ms, 0: now). */
  reserve(): number {
    const now = this.clock();
    const arrival = Math.max(now, this.blockedUntil);
    const start = this.intervalMs === 0 ? arrival : Math.max(arrival, this.tat - this.toleranceMs);
    this.tat = Math.max(this.tat, start) + this.intervalMs;
    return start - now;
  }

  /** Waits for a slot; rejects with the signal's reason when it aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    for (;;) {
      const wait = this.reserve();
      if (wait > 0) await this.sleep(wait, signal);
      if (this.blockedUntil <= this.clock()) return;
      // A block came in while this caller slept (another caller's 429): its slot is void. It takes
      // a new one after the block, spaced like any other, so the callers that were waiting do not
      // all go at once when the block ends.
    }
  }

  /** Nobody gets a slot for `ms` from now; afterwards requests resume at the plain rate. */
  block(ms: number): void {
    const until = this.clock() + Math.max(0, ms);
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    this.tat = Math.max(this.tat, until + this.toleranceMs);
  }

  /** When the current block ends (ms since epoch), or null when not blocked. */
  blockedUntilMs(): number | null {
    return this.blockedUntil > this.clock() ? this.blockedUntil : null;
  }
}
