import type { Random } from "../types.ts";

/** An exponential backoff: the delays after the 1st, 2nd, ... failure; past the table the last one doubles. */
export interface Backoff {
  readonly delaysMs: readonly number[];
  /** Cap on any single delay (before jitter). */
  readonly maxDelayMs: number;
  /** Relative jitter, e.g. 0.1 spreads a delay over ±10%; 0: none. */
  readonly jitter: number;
}

/**
 * Delay (ms) before the next try after `failedAttempt` (1-based) failed: the table's entry, or the
 * last entry doubled once per attempt past the table, capped at `maxDelayMs`, spread by the jitter
 * with `random` (in [0, 1)). An empty table waits the cap.
 */
export function backoffDelay(failedAttempt: number, b: Backoff, random: Random): number {
  const table = b.delaysMs;
  const index = Math.max(0, failedAttempt - 1);
  const last = table[table.length - 1] ?? b.maxDelayMs;
  const base = index < table.length ? (table[index] ?? last) : last * 2 ** (index - table.length + 1);
  const capped = Math.min(base, b.maxDelayMs);
  const spread = capped * b.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(capped + spread));
}
