/**
 * One redaction for everything leadjobs prints or stores about a failure (stderr, a job's last
 * error, its attempts' errors, dead-job notices): every known secret is removed in every form a
 * server may echo it back in — as is, URL- or form-encoded, in base64 (also inside a longer
 * base64 text such as a Basic credential) — whatever its letter case.
 */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET = 6;

/** Variable names that hold secrets: API keys of the AI providers, Bolagsverket's client secret, tokens, passwords. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD)/i;

/** Secrets this process learnt outside the environment (the password of a --db URL). */
const learnt = new Set<string>();

/** Adds a secret every later redaction removes. */
export function addSecret(secret: string): void {
  learnt.add(secret);
}

/** The values of the secret-holding variables of an environment, and the secrets this process learnt. */
export function secretsInEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return [...learnt, ...Object.entries(env).flatMap(([name, value]) => (value && SECRET_NAME.test(name) ? [value] : []))];
}

/** The texts a secret may appear as. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]);
  for (const b64 of ["base64", "base64url"] as const) {
    out.add(bytes.toString(b64));
    // Inside a longer base64 text the secret starts at any of three byte offsets: keep the
    // characters that depend on the secret's bytes only.
    for (const shift of [0, 1, 2]) {
      const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString(b64);
      const whole = Math.floor((shift + bytes.length) / 3) * 4;
      const core = text.slice([0, 2, 3][shift], whole);
      if (core.length >= 8) out.add(core);
    }
  }
  return [...out].filter((e) => e.length >= MIN_SECRET);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with every encoding of every secret (and anything that looks like an API key or bearer token) replaced by [redacted]. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  const all = secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET).flatMap(encodings);
  let out = text;
  if (all.length > 0) {
    const pattern = new RegExp(
      [...new Set(all)]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|"),
      "giu",
    );
    out = out.replace(pattern, REDACTED);
  }
  return out
    .replace(/\b(sk|gsk|sk-ant|AIza)[-_A-Za-z0-9]{12,}\b/g, REDACTED)
    .replace(/(Bearer\s+)[^\s"']+/gi, `$1${REDACTED}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]+@/gi, `$1${REDACTED}@`); // a password in a URL (postgres://user:pw@host)
}

/** `text` without the secrets of `env` (see secretsInEnv). */
export function redactEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return redactSecrets(text, secretsInEnv(env));
}

/** Longest failure text printed or stored (a handler may quote its whole input in an error). */
export const MAX_ERROR_TEXT = 2000;

/** What may be printed or stored about a failure: without secrets, and at most MAX_ERROR_TEXT characters. */
export function errorText(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const clean = redactEnv(text.length > 4 * MAX_ERROR_TEXT ? text.slice(0, 4 * MAX_ERROR_TEXT) : text, env);
  return clean.length > MAX_ERROR_TEXT ? `${clean.slice(0, MAX_ERROR_TEXT)}… (${text.length - MAX_ERROR_TEXT} more characters)` : clean;
}
