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
