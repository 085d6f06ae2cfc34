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
export function blockedReason(status: number, headers: ReadonlyArray<[string, string]>, html: string, visibleTextLength: number, now: number = Date.now()): Blocked | null {
  const retryAfter = headers.find(([k]) => k === "retry-after")?.[1];
  const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
  const withRetry = (reason: string): Blocked => (retryAfterMs === undefined ? { reason } : { reason, retryAfterMs });
  const challenge = CHALLENGE.some((re) => re.test(html));
  if (status === 429) return withRetry("rate limited (HTTP 429)");
  if (status === 403) return withRetry(challenge ? "bot challenge or captcha (HTTP 403)" : "forbidden (HTTP 403)");
  if (status === 503 && challenge) return withRetry("bot challenge (HTTP 503)");
  if (challenge && visibleTextLength < 1500) return withRetry("bot challenge or captcha page");
  return null;
}

function parseRetryAfter(value: string, now: number): number | undefined {
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
