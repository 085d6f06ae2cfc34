import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import { AddressRefusedError, bareHost, guardedLookup, isPrivateAddress } from "./address-guard.ts";
import type { CookieJar } from "./cookie-jar.ts";
import { classifyFetchError as classify, connectionClosed, WebFetchError } from "./fetch-error.ts";
import { setLongTimeout, timerMs } from "../../util/timer.ts";

export interface HttpFetchOptions {
  timeoutMs: number;
  /** Bodies are cut off after this many (decoded) bytes; the page is then marked truncated. */
  maxBytes: number;
  userAgent: string;
  allowPrivate: boolean;
  /** host[:port] values allowed even on private addresses (an intranet shop, a test server). */
  allowHosts?: ReadonlySet<string> | undefined;
  cookies: CookieJar;
  maxRedirects?: number;
  signal?: AbortSignal | undefined;
}

export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  headers: Array<[string, string]>;
  /** Cookies the site set during this fetch (all hops). */
  cookies: Array<[string, string]>;
  body: string;
  contentType: string;
  bytes: number;
  truncated: boolean;
  redirects: string[];
}

/** The statuses that are redirects, here and in the browser. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed from one address, here and in the browser. */
export const MAX_REDIRECTS = 5;

/**
 * GET with the safety and politeness rules of the analyser: http(s) only, every hop's
 * address checked (IP literals here, resolved names in the lookup), redirects followed by
 * hand, one deadline for the whole fetch, a size cap, cookies kept per host.
 */
export async function httpGet(url: string, o: HttpFetchOptions): Promise<FetchedPage> {
  const deadline = Date.now() + o.timeoutMs;
  const redirects: string[] = [];
  const cookies: Array<[string, string]> = [];
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseTarget(current, o);
    const res = await requestOnce(target, o, deadline);
    const setCookie = res.headers["set-cookie"] ?? [];
    cookies.push(...o.cookies.store(target.href, setCookie));
    if (REDIRECT_STATUSES.has(res.statusCode ?? 0)) {
      res.resume();
      if (hop >= (o.maxRedirects ?? MAX_REDIRECTS))
        throw new WebFetchError("too-many-redirects", `more than ${o.maxRedirects ?? MAX_REDIRECTS} redirects from ${url}`);
      redirects.push(current);
      current = redirectTarget(res.statusCode ?? 0, res.headers.location, current);
      continue;
    }
    const { body, bytes, truncated } = await readBody(res, target, o, deadline);
    const contentType = String(res.headers["content-type"] ?? "");
    return {
      url,
      finalUrl: current,
      status: res.statusCode ?? 0,
      headers: flatHeaders(res),
      cookies,
      body: decode(body, contentType),
      contentType,
      bytes,
      truncated,
      redirects,
    };
  }
}

/** Where a redirect leads; a redirect without a usable Location is the site's error, not an empty page. */
export function redirectTarget(status: number, location: string | undefined, from: string): string {
  if (!location) throw new WebFetchError("http-status", `redirect without Location (HTTP ${status}) from ${from}`);
  try {
    return new URL(location, from).href;
  } catch {
    throw new WebFetchError("http-status", `invalid redirect Location "${location}" from ${from}`);
  }
}

const privateAllowed = (u: URL, o: HttpFetchOptions): boolean => o.allowPrivate || (o.allowHosts?.has(u.host) ?? false);

// Kept-alive sockets are pooled by host:port and reused without a new lookup. A socket opened
// where private addresses are allowed (another job's --allow-private) may lead to one, so it
// must never serve a request where they are not: one pool for each.
const AGENTS = {
  guarded: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
  open: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
};

function parseTarget(raw: string, o: HttpFetchOptions): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new WebFetchError("bad-url", `not a valid URL: ${raw}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new WebFetchError("bad-url", `only http and https can be fetched: ${raw}`);
  const host = bareHost(u.hostname);
  if (!privateAllowed(u, o) && isIP(host) && isPrivateAddress(host))
    throw new WebFetchError("refused-address", new AddressRefusedError(u.host, host).message);
  return u;
}

function requestOnce(u: URL, o: HttpFetchOptions, deadline: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(new WebFetchError("timeout", `timed out after ${o.timeoutMs}ms: ${u.href}`));
    const headers: Record<string, string> = {
      "user-agent": o.userAgent,
      accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
      "accept-language": "sv-SE,sv;q=0.9,en;q=0.7",
      "accept-encoding": "gzip, deflate, br",
    };
    const cookie = o.cookies.header(u.href);
    if (cookie) headers.cookie = cookie;
    const allowed = privateAllowed(u, o);
    const https = u.protocol === "https:";
    const req = (https ? httpsRequest : httpRequest)(
      u,
      {
        method: "GET",
        headers,
        agent: AGENTS[allowed ? "open" : "guarded"][https ? "https" : "http"],
        lookup: guardedLookup(allowed),
        signal: o.signal,
        timeout: timerMs(remaining),
      },
      resolve,
    );
    const timer = setLongTimeout(() => req.destroy(new WebFetchError("timeout", `timed out after ${o.timeoutMs}ms: ${u.href}`)), remaining);
    req.on("response", () => timer.clear());
    req.on("timeout", () => req.destroy(new WebFetchError("timeout", `timed out after ${o.timeoutMs}ms: ${u.href}`)));
    req.on("error", (e) => {
      timer.clear();
      reject(classify(e, u));
    });
    req.end();
  });
}

function readBody(
  res: IncomingMessage,
  u: URL,
  o: HttpFetchOptions,
  deadline: number,
): Promise<{ body: Buffer; bytes: number; truncated: boolean }> {
  const { maxBytes, signal } = o;
  const encoding = String(res.headers["content-encoding"] ?? "").toLowerCase();
  let stream: Readable = res;
  if (encoding === "gzip" || encoding === "x-gzip") stream = res.pipe(createGunzip());
  else if (encoding === "br") stream = res.pipe(createBrotliDecompress());
  else if (encoding === "deflate") stream = res.pipe(createInflate());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      timer.clear();
      signal?.removeEventListener("abort", onAbort);
      resolve({ body: Buffer.concat(chunks), bytes, truncated });
    };
    const fail = (e: unknown) => {
      if (done) return;
      done = true;
      timer.clear();
      signal?.removeEventListener("abort", onAbort);
      res.destroy();
      reject(classify(e as Error, u));
    };
    const onAbort = () => fail(new WebFetchError("cancelled", "cancelled"));
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setLongTimeout(
      () => fail(new WebFetchError("timeout", `timed out after ${o.timeoutMs}ms: ${u.href}`)),
      deadline - Date.now(),
    );
    stream.on("data", (chunk: Buffer) => {
      if (done) return;
      const room = maxBytes - bytes;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        bytes += room;
        finish(true);
        res.destroy(); // stop downloading: the cap is reached
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    stream.on("end", () => finish(false));
    stream.on("error", fail);
    res.on("aborted", () => fail(connectionClosed()));
  });
}

function flatHeaders(res: IncomingMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
  return out;
}

/** Decodes with the charset of the Content-Type header or the page's meta tag; UTF-8 otherwise. */
export function decode(body: Buffer, contentType: string): string {
  let charset = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  if (!charset) {
    const head = body.subarray(0, 2048).toString("latin1");
    charset = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
  }
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}
