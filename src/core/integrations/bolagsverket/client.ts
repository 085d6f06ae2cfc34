import { randomUUID } from "node:crypto";
import { redactSecrets } from "../../util/redact.ts";
import { backoffDelay } from "../../util/backoff.ts";
import { retryAfterFromHeaders } from "../../util/retry-after.ts";
import { sleep as defaultSleep } from "../../util/sleep.ts";
import type { Clock } from "../../types.ts";
import { HvdError } from "./errors.ts";
import { timeoutSignal } from "../../util/timer.ts";

export interface HvdClientOptions {
  /** e.g. https://gw.api.bolagsverket.se/vardefulla-datamangder/v1 */
  baseUrl: string;
  /** e.g. https://portal.api.bolagsverket.se/oauth2/token */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  clock: Clock;
  /** Retries of 429, 5xx and network errors (default 4). */
  maxRetries?: number;
  /** Longest wait between retries (default 60 s); a longer Retry-After is the caller's to honour. */
  maxDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Token {
  value: string;
  /** Renew after this instant (60 s before the server's expiry). */
  renewAt: number;
}

/**
 * Bolagsverket's "värdefulla datamängder" API: OAuth2 client credentials with the token cached
 * until 60 s before it expires and renewed once when a call gets 401; 429 and 5xx retried with
 * exponential backoff honouring Retry-After; every call carries an X-Request-Id.
 */
export class HvdClient {
  private readonly o: Required<Omit<HvdClientOptions, "sleep">> & { sleep: NonNullable<HvdClientOptions["sleep"]> };
  private token: Token | null = null;
  /** Token requests made (tests; a renewal storm would show here). */
  tokenRequests = 0;

  constructor(o: HvdClientOptions) {
    this.o = {
      scope: "vardefulla-datamangder:read vardefulla-datamangder:ping",
      maxRetries: 4,
      maxDelayMs: 60_000,
      timeoutMs: 30_000,
      ...o,
      baseUrl: o.baseUrl.replace(/\/+$/, ""),
      sleep: o.sleep ?? defaultSleep,
    };
  }

  /** POST /organisationer for one identity (10-digit orgnr); the raw JSON body. */
  async organisationer(identitetsbeteckning: string, signal?: AbortSignal): Promise<unknown> {
    return this.call("POST", "/organisationer", { identitetsbeteckning }, signal);
  }

  /** POST /dokumentlista: the documents (annual reports) a company has filed; the raw JSON body. */
  async dokumentlista(identitetsbeteckning: string, signal?: AbortSignal): Promise<unknown> {
    return this.call("POST", "/dokumentlista", { identitetsbeteckning }, signal);
  }

  /** GET /dokument/{id}: one document, a ZIP holding the iXBRL annual report. */
  async dokument(dokumentId: string, signal?: AbortSignal): Promise<Buffer> {
    const body = await this.call("GET", `/dokument/${encodeURIComponent(dokumentId)}`, undefined, signal, "bytes");
    return body as Buffer;
  }

  /** GET /isalive: true when the API answers OK. */
  async isAlive(signal?: AbortSignal): Promise<boolean> {
    const r = await this.call("GET", "/isalive", undefined, signal);
    return typeof r === "string" ? r.trim() === "OK" : true;
  }

  private async call(method: string, path: string, body: unknown, signal?: AbortSignal, read: "json" | "bytes" = "json"): Promise<unknown> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(signal);
      const requestId = randomUUID();
      let res: Response;
      try {
        res = await fetch(`${this.o.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: read === "bytes" ? "application/zip, application/octet-stream" : "application/json",
            "x-request-id": requestId,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? null : JSON.stringify(body),
          signal: withTimeout(signal, this.o.timeoutMs),
        });
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (attempt < this.o.maxRetries) {
          await this.o.sleep(this.backoff(attempt), signal);
          continue;
        }
        throw new HvdError(`Bolagsverket is unreachable (${this.o.baseUrl}): ${(e as Error).message}`, { kind: "unavailable", cause: e });
      }
      if (res.status === 401 && !renewed) {
        renewed = true; // the token was revoked or expired early: one new one, then the call again
        this.token = null;
        await res.body?.cancel();
        attempt--;
        continue;
      }
      if (res.ok) {
        if (read === "bytes") return Buffer.from(await res.arrayBuffer());
        return jsonOrText(res);
      }
      const detail = await errorDetail(res);
      const retryAfterMs = retryAfterFromHeaders(res.headers, this.o.clock());
      if ((res.status === 429 || res.status >= 500) && attempt < this.o.maxRetries) {
        if (retryAfterMs !== undefined && retryAfterMs > this.o.maxDelayMs) {
          throw new HvdError(`Bolagsverket asks to wait ${Math.ceil(retryAfterMs / 1000)} s (${res.status})`, {
            kind: res.status === 429 ? "rate_limited" : "server",
            status: res.status,
            retryAfterMs,
            requestId,
          });
        }
        await this.o.sleep(retryAfterMs ?? this.backoff(attempt), signal);
        continue;
      }
      const kind =
        res.status === 401 || res.status === 403
          ? "auth"
          : res.status === 429
            ? "rate_limited"
            : res.status >= 500
              ? "server"
              : "bad_request";
      throw new HvdError(`Bolagsverket ${method} ${path}: ${res.status} ${detail}`, { kind, status: res.status, retryAfterMs, requestId });
    }
  }

  private async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.token && this.o.clock() < this.token.renewAt) return this.token.value;
    this.tokenRequests++;
    let res: Response;
    try {
      res = await fetch(this.o.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: this.o.clientId,
          client_secret: this.o.clientSecret,
          scope: this.o.scope,
        }).toString(),
        signal: withTimeout(signal, this.o.timeoutMs),
      });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new HvdError(`Bolagsverket's token service is unreachable (${this.o.tokenUrl}): ${(e as Error).message}`, {
        kind: "unavailable",
        cause: e,
      });
    }
    if (!res.ok) {
      const detail = await errorDetail(res);
      const kind = res.status === 400 || res.status === 401 || res.status === 403 ? "auth" : res.status === 429 ? "rate_limited" : "server";
      throw new HvdError(
        redactSecrets(
          `Bolagsverket refused a token (${res.status} ${detail}): check BOLAGSVERKET_CLIENT_ID and BOLAGSVERKET_CLIENT_SECRET`,
          [this.o.clientSecret],
        ),
        { kind, status: res.status },
      );
    }
    const t = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!t.access_token) throw new HvdError("Bolagsverket's token response has no access_token", { kind: "server", status: res.status });
    const lifetime = (t.expires_in ?? 3600) * 1000;
    this.token = { value: t.access_token, renewAt: this.o.clock() + Math.max(0, lifetime - 60_000) };
    return t.access_token;
  }

  /** 1 s after the first failure, doubling up to maxDelayMs, without jitter. */
  private backoff(attempt: number): number {
    return backoffDelay(attempt + 1, { delaysMs: [1000], maxDelayMs: this.o.maxDelayMs, jitter: 0 }, Math.random);
  }
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const t = timeoutSignal(ms);
  return signal ? AbortSignal.any([signal, t]) : t;
}

/** The `detail` (or title) of an RFC 7807 ApiError body, or the plain-text body. */
async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const j = JSON.parse(text) as { detail?: string | null; title?: string | null; error_description?: string; error?: string };
    return j.detail ?? j.title ?? j.error_description ?? j.error ?? res.statusText;
  } catch {
    return text.slice(0, 200) || res.statusText;
  }
}

/** The answer's JSON; its text when it is not JSON (a gateway's HTML page), for the caller to refuse. */
async function jsonOrText(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!(res.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
