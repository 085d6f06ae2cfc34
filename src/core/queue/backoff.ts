import { formatDuration } from "../time.ts";
import type { Backoff } from "../util/backoff.ts";

/** How a job type is retried. Delays are after the 1st, 2nd, ... failed attempt; the last repeats doubling. */
export interface RetryPolicy extends Backoff {
  maxAttempts: number;
  delaysMs: number[];
  /** Cap on any single delay. */
  maxDelayMs: number;
  /** Relative jitter, e.g. 0.1 spreads a delay over ±10%. */
  jitter: number;
  /**
   * Snoozes (a handler's "try again later": rate limited, blocked, waiting) give their attempt
   * back, so they need their own ceiling: at most this many per job ...
   */
  maxSnoozes: number;
  /** ... and no snooze that would run the job later than this after its first attempt started. */
  maxSnoozeMs: number;
}

/**
 * The default: 3 attempts, so retries about 1 min and 5 min after a failure; the 15 min (then
 * doubling, at most 6 h) applies to types with more attempts. ±10% jitter;
 * at most 20 snoozes, within 24 hours of the first attempt.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  delaysMs: [60_000, 300_000, 900_000],
  maxDelayMs: 6 * 3_600_000,
  jitter: 0.1,
  maxSnoozes: 20,
  maxSnoozeMs: 24 * 3_600_000,
};

/** A job type's policy: its overrides on the default; an empty delay table keeps the default's. */
export function retryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...overrides };
  return p.delaysMs.length > 0 ? p : { ...p, delaysMs: DEFAULT_RETRY_POLICY.delaysMs };
}

/**
 * Why a job that asks to snooze (`delayMs`) must fail instead, or null when it may snooze:
 * it has snoozed `snoozes` times already and its first attempt started at `firstStartedAt`.
 */
export function snoozeLimit(
  policy: RetryPolicy,
  s: { snoozes: number; firstStartedAt: number; now: number; delayMs: number },
): string | null {
  if (s.snoozes + 1 > policy.maxSnoozes)
    return `gave up after ${s.snoozes} snooze${s.snoozes === 1 ? "" : "s"} (at most ${policy.maxSnoozes})`;
  if (s.now + s.delayMs - s.firstStartedAt > policy.maxSnoozeMs) {
    return `gave up: waiting longer would run it more than ${formatDuration(policy.maxSnoozeMs)} after its first attempt (${s.snoozes} snooze${s.snoozes === 1 ? "" : "s"} so far)`;
  }
  return null;
}
