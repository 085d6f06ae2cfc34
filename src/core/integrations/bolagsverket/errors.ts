export const HVD_ERROR_KINDS = ["auth", "bad_request", "rate_limited", "unavailable", "server"] as const;
export type HvdErrorKind = (typeof HVD_ERROR_KINDS)[number];

/** A failed call to Bolagsverket's API (after the client's own retries). */
export class HvdError extends Error {
  readonly kind: HvdErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  constructor(
    message: string,
    o: {
      kind: HvdErrorKind;
      status?: number | undefined;
      retryAfterMs?: number | undefined;
      requestId?: string | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: o.cause });
    this.name = "HvdError";
    this.kind = o.kind;
    this.status = o.status;
    this.retryAfterMs = o.retryAfterMs;
    this.requestId = o.requestId;
  }
}
