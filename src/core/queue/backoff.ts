import type { Random } from "../types.ts";

/** How a job type is retried. Delays are after the 1st, 2nd, ... failed attempt; the last repeats doubling. */
export interface RetryPolicy {
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

export function retryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/** Delay before the next attempt after `failedAttempt` (1-based) failed. */
export function backoffDelay(failedAttempt: number, policy: RetryPolicy, random: Random): number {
  const table = policy.delaysMs.length > 0 ? policy.delaysMs : DEFAULT_RETRY_POLICY.delaysMs;
  const index = Math.max(0, failedAttempt - 1);
  const last = table[table.length - 1] ?? 60_000;
  const base = index < table.length ? (table[index] ?? last) : last * 2 ** (index - table.length + 1);
  const capped = Math.min(base, policy.maxDelayMs);
  const spread = capped * policy.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(capped + spread));
}
