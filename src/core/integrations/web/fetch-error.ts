import { AddressRefusedError } from "./address-guard.ts";

/** Why fetching a page failed; `kind` is recorded with failed items. */
export type FetchErrorKind =
  | "timeout"
  | "network"
  | "refused-address"
  | "bad-url"
  | "tls"
  | "too-many-redirects"
  | "too-large"
  | "http-status"
  | "cancelled"
  | "browser-unavailable"
  | "browser";

export class WebFetchError extends Error {
  readonly kind: FetchErrorKind;
  constructor(kind: FetchErrorKind, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = "WebFetchError";
    this.kind = kind;
  }
}

/** A failed request to `u` as the analyser words it (plain HTTP and the browser's proxy alike). */
export function classifyFetchError(e: Error, u: URL): WebFetchError {
  if (e instanceof WebFetchError) return e;
  if (e instanceof AddressRefusedError) return new WebFetchError("refused-address", e.message, { cause: e });
  const code = (e as NodeJS.ErrnoException).code ?? "";
  if (e.name === "AbortError" || code === "ABORT_ERR") return new WebFetchError("cancelled", "cancelled", { cause: e });
  if (/CERT|SSL|TLS|ERR_TLS/.test(code)) return new WebFetchError("tls", `TLS error for ${u.host}: ${e.message}`, { cause: e });
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new WebFetchError("network", `cannot resolve ${u.hostname}`, { cause: e });
  if (code === "ECONNREFUSED") return new WebFetchError("network", `connection refused by ${u.host}`, { cause: e });
  if (code === "ECONNRESET") return new WebFetchError("network", `connection reset by ${u.host}`, { cause: e });
  return new WebFetchError("network", `${u.host}: ${e.message}`, { cause: e });
}

/** A response cut off before its end. */
export const connectionClosed = (): WebFetchError => new WebFetchError("network", "connection closed while reading the page");
