import type { Backoff } from "../util/backoff.ts";

/** How a job type is retried. Delays are after the 1st, 2nd, ... failed attempt; the last repeats doubling. */
export interface RetryPolicy extends Backoff {
  maxAttempts: number;
  delaysMs: number[];
  /** Cap on any single delay. */
  maxDelayMs: number;
  /** Relative jitter, e.g. 0.1 spreads a delay over ±10%. */
  jitter: number;
}

/** The default: 3 attempts, about 1 min, 5 min, 15 min apart (then doubling), ±10% jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  delaysMs: [60_000, 300_000, 900_000],
  maxDelayMs: 6 * 3_600_000,
  jitter: 0.1,
};

/** A job type's policy: its overrides on the default; an empty delay table keeps the default's. */
export function retryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const p = { ...DEFAULT_RETRY_POLICY, ...overrides };
  return p.delaysMs.length > 0 ? p : { ...p, delaysMs: DEFAULT_RETRY_POLICY.delaysMs };
}
