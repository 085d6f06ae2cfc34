import type { ChatUsage } from "./types.ts";

export const LLM_ERROR_KINDS = [
  "rate_limited",
  "transient",
  "timeout",
  "auth",
  "bad_request",
  "invalid_output",
  "unavailable",
  "aborted",
] as const;
export type LlmErrorKind = (typeof LLM_ERROR_KINDS)[number];

/**
 * A failed chat. `rate_limited`, `transient` (5xx, connection reset) and `timeout` are retried
 * with backoff; the others are not. Carries the usage already spent (a failed repair still cost).
 */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  /** From Retry-After / retry-after-ms, when the server said. */
  readonly retryAfterMs: number | undefined;
  usage: ChatUsage;
  constructor(
    message: string,
    o: {
      kind: LlmErrorKind;
      provider: string;
      status?: number | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
      usage?: ChatUsage;
    },
  ) {
    super(message, { cause: o.cause });
    this.name = "LlmError";
    this.kind = o.kind;
    this.provider = o.provider;
    this.status = o.status;
    this.retryAfterMs = o.retryAfterMs;
    this.usage = o.usage ?? { inputTokens: 0, outputTokens: 0 };
  }
  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "transient" || this.kind === "timeout";
  }
}

export function kindForStatus(status: number): LlmErrorKind {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "transient";
  if (status === 401 || status === 403) return "auth";
  return "bad_request";
}

/** Removes API keys (and anything else secret) from text that may be recorded or printed. */
export { redactSecrets } from "../../util/redact.ts";
