/**
 * Node's timers take at most 2^31 - 1 ms (about 24.8 days): a longer delay fires after 1 ms with a
 * TimeoutOverflowWarning on stderr. Every timer set from a user's duration (`--timeout 30d`,
 * `--max-runtime 30d`, config timeouts) goes through this module.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/** setTimeout for any delay: longer ones are chained in steps Node accepts; Infinity never fires. */
export function setLongTimeout(fn: () => void, ms: number, o: { unref?: boolean } = {}): LongTimer {
  let timer: NodeJS.Timeout | undefined;
  const arm = (left: number) => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fn, Math.max(0, left));
    if (o.unref) timer.unref();
  };
  if (!Number.isNaN(ms) && ms !== Infinity) arm(ms);
  return { clear: () => clearTimeout(timer) };
}

/** A delay for APIs that arm a single Node timer themselves (socket timeouts, AbortSignal.timeout). */
export function timerMs(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** An AbortSignal that aborts with a TimeoutError after `ms`, for any `ms`. */
export function timeoutSignal(ms: number): AbortSignal {
  if (ms <= MAX_TIMER_MS) return AbortSignal.timeout(Math.max(0, ms));
  const controller = new AbortController();
  setLongTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms, { unref: true });
  return controller.signal;
}
