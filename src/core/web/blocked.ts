import type { Random } from "../types.ts";
import { backoffDelay, type Backoff } from "../util/backoff.ts";
import { parseRetryAfter } from "../util/retry-after.ts";

/** A page that is a bot wall, a captcha or a rate limit, not the site's content. */
export interface Blocked {
  reason: string;
  /** From Retry-After, when the site said how long to wait. */
  retryAfterMs?: number;
}

const CHALLENGE = [
  /<title>\s*(?:Just a moment\.\.\.|Attention Required! \| Cloudflare|Access denied|Pardon Our Interruption|Are you a robot\?|Robot or human\?)/i,
  /\b(?:cf-challenge|cf_chl_opt|challenge-platform|cf-turnstile)\b/,
  /\bclass=["'][^"']*\b(?:g-recaptcha|h-captcha)\b[^>]*>/i,
  /\b(?:captcha-delivery\.com|px-captcha|_Incapsula_Resource|perimeterx)\b/i,
  /\b(?:verify (?:that )?you are (?:a )?human|bekräfta att du (?:inte )?är (?:en )?(?:människa|robot))\b/i,
];

/**
 * Recognises blocked pages: 429, 403 and 503-with-challenge are blocked whatever the body
 * says; a 200 page is blocked when it is a small challenge page (a shop's contact form
 * with a reCAPTCHA is not).
 */
export function blockedReason(
  status: number,
  headers: ReadonlyArray<[string, string]>,
  html: string,
  visibleTextLength: number,
  now: number = Date.now(),
): Blocked | null {
  const retryAfter = headers.find(([k]) => k === "retry-after")?.[1];
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  const withRetry = (reason: string): Blocked => (retryAfterMs === undefined ? { reason } : { reason, retryAfterMs });
  const challenge = CHALLENGE.some((re) => re.test(html));
  if (status === 429) return withRetry("rate limited (HTTP 429)");
  if (status === 403) return withRetry(challenge ? "bot challenge or captcha (HTTP 403)" : "forbidden (HTTP 403)");
  if (status === 503 && challenge) return withRetry("bot challenge (HTTP 503)");
  if (challenge && visibleTextLength < 1500) return withRetry("bot challenge or captcha page");
  return null;
}

/** Blocked sites are tried again after about 15 min, 1 h, then 4 h (or the site's Retry-After, when longer). */
export const BLOCKED_BACKOFF: Backoff = { delaysMs: [900_000, 3_600_000, 14_400_000], maxDelayMs: 86_400_000, jitter: 0.1 };

/** How long to wait before the `retry`-th (1-based) try of a blocked site. */
export function blockedRetryDelay(retry: number, blocked: Blocked | null, random: Random): number {
  return Math.max(blocked?.retryAfterMs ?? 0, backoffDelay(retry, BLOCKED_BACKOFF, random));
}
