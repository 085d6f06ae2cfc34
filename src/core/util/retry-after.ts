/** The longest wait a server's Retry-After is taken at its word for: longer ones are read as a day. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

const MONTH = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;
const TIME = /\b\d{1,2}:\d{2}:\d{2}\b/;

/**
 * A Retry-After value in ms from `now`: delta-seconds ("120", fractions accepted) or an HTTP-date
 * (IMF-fixdate, RFC 850 or asctime; a date in the past is 0), at most `capMs`. Undefined when
 * absent or unreadable (negative numbers, anything that is not an HTTP-date).
 */
export function parseRetryAfter(value: string | null | undefined, now: number, capMs: number = MAX_RETRY_AFTER_MS): number | undefined {
  if (value === null || value === undefined) return undefined;
  const s = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return Math.min(capMs, Number(s) * 1000);
  if (!MONTH.test(s) || !TIME.test(s)) return undefined; // Date.parse reads "foo 12" or "-5" as dates
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.min(capMs, Math.max(0, at - now));
}

/** From response headers: `retry-after-ms` (OpenAI's, in ms) when readable, else Retry-After. */
export function retryAfterFromHeaders(
  headers: { get(name: string): string | null } | undefined,
  now: number,
  capMs: number = MAX_RETRY_AFTER_MS,
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(?:\.\d+)?$/.test(ms)) return Math.min(capMs, Number(ms));
  return parseRetryAfter(headers.get("retry-after"), now, capMs);
}
