import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, isIP, type Socket } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { bareHost, guardedLookup, isPrivateAddress } from "./address-guard.ts";
import { classifyFetchError, connectionClosed, type WebFetchError } from "./fetch-error.ts";

/** A local forward proxy that one browser context sends all its traffic through. */
export interface GuardProxy {
  /** `http://127.0.0.1:PORT`, for the context's proxyServer. */
  url: string;
  /**
   * Starts a new page's byte budget (the pages of one context are rendered one after another);
   * `onOverflow` is told once when a response is cut off.
   */
  beginPage(limits: ProxyLimits, onOverflow: (why: string) => void): void;
  /** Set once the current page went over a cap: which response was cut off, and why. */
  readonly overflow: string | undefined;
  /**
   * What the site answered the current page's request for `url`, as far as the proxy saw it: an
   * https URL only when its tunnel could not be opened. Chromium shows its own error page for
   * the proxy's empty 502, and drops a 304 or a redirect it cannot follow without a word.
   */
  answer(url: string): UpstreamAnswer | undefined;
  close(): Promise<void>;
}

/** The status and Location the site answered, or why there was no (whole) answer. */
export type UpstreamAnswer = { status: number; location: string | undefined } | { error: WebFetchError };

/** The answers to one page's requests: plain http by URL, https tunnels by host:port. */
type Answers = Map<string, UpstreamAnswer>;

/** What the browser may download: per response (decoded) and per page (all its responses). */
export interface ProxyLimits {
  requestBytes: number;
  pageBytes: number;
}

/**
 * Counts the bytes of the current page. A response is counted as it is decoded (a gzip bomb
 * is cut off by what it unpacks to, not by its few megabytes on the wire); an https tunnel,
 * whose content the proxy cannot read, by its bytes on the wire.
 */
class PageBudget {
  private limits: ProxyLimits = { requestBytes: Number.POSITIVE_INFINITY, pageBytes: Number.POSITIVE_INFINITY };
  private onOverflow: (why: string) => void = () => undefined;
  private used = 0;
  private page = 0;
  overflow: string | undefined;
  begin(limits: ProxyLimits, onOverflow: (why: string) => void): void {
    this.page++;
    this.limits = limits;
    this.onOverflow = onOverflow;
    this.used = 0;
    this.overflow = undefined;
  }
  /** A counter for one response: call it with each chunk's size; false once the response must be cut off. */
  /** `tunnel`: a connection carrying many responses (https, HTTP/2), counted against the page's cap only. */
  response(what: string, o: { tunnel?: boolean } = {}): (bytes: number) => boolean {
    const page = this.page;
    const own = o.tunnel ? Number.POSITIVE_INFINITY : this.limits.requestBytes;
    let mine = 0;
    return (bytes) => {
      if (page !== this.page) return true; // a late response of a page that is done
      if (this.overflow !== undefined) return false;
      mine += bytes;
      this.used += bytes;
      if (mine > own) this.overflow = `${what} sent more than ${own} bytes`;
      else if (this.used > this.limits.pageBytes)
        this.overflow = `its responses came to more than ${this.limits.pageBytes} bytes (at ${what})`;
      if (this.overflow === undefined) return true;
      this.onOverflow(this.overflow);
      return false;
    };
  }
}

/**
 * The browser's address guard at connect time. Chromium's own lookups and connections are out
 * of our hands: a host checked before a request may resolve to another address when Chromium
 * connects (DNS rebinding), and WebSockets (also from workers) pass no request interception.
 * Through this proxy every connection of the context (http, and the CONNECT tunnels of https
 * and ws/wss) is opened here, with the guarded lookup: a private address is refused whatever
 * asked for it. `allowed(host, port)` says which hosts may be private (--allow-private,
 * --allow-host).
 */
export async function startGuardProxy(allowed: (host: string, port: number) => boolean): Promise<GuardProxy> {
  const sockets = new Set<Socket>();
  const budget = new PageBudget();
  let answers: Answers = new Map();
  const server = createServer((req, res) => forward(req, res, allowed, budget, answers));
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => tunnel(req, client, head, allowed, budget, answers));
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    beginPage: (limits, onOverflow) => {
      budget.begin(limits, onOverflow);
      answers = new Map(); // late answers of the page before go to its map
    },
    get overflow() {
      return budget.overflow;
    },
    answer: (url) => answers.get(answerKey(url)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The key of a URL's answer: the URL without its fragment, or host:port for what goes through a tunnel. */
function answerKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    return u.protocol === "http:" ? u.href : tunnelKey(u.hostname, Number(u.port || 443));
  } catch {
    return url;
  }
}

const tunnelKey = (hostname: string, port: number): string => `${hostname}:${port}`;

/** Whether a connection to host:port is refused before any lookup (an IP literal that is private). */
function refusedLiteral(host: string, port: number, allowed: (host: string, port: number) => boolean): boolean {
  return !allowed(host, port) && isIP(host) !== 0 && isPrivateAddress(host);
}

/** https, ws and wss: CONNECT host:port, then bytes both ways. */
function tunnel(
  req: IncomingMessage,
  client: Socket,
  head: Buffer,
  allowed: (host: string, port: number) => boolean,
  budget: PageBudget,
  answers: Answers,
): void {
  client.on("error", () => undefined);
  let target: URL;
  try {
    target = new URL(`http://${req.url ?? ""}`);
  } catch {
    return void client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
  }
  const host = bareHost(target.hostname);
  const port = Number(target.port || 443);
  if (refusedLiteral(host, port, allowed)) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  const upstream = connect({ host, port, lookup: guardedLookup(allowed(host, port)) });
  let connected = false;
  upstream.once("connect", () => {
    connected = true;
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) upstream.write(head);
    const count = budget.response(`https://${target.host}`, { tunnel: true });
    upstream.on("data", (chunk: Buffer) => {
      if (!count(chunk.length)) client.destroy();
    });
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (connected) return void client.destroy();
    answers.set(tunnelKey(target.hostname, port), { error: classifyFetchError(e, new URL(`https://${target.hostname}:${port}`)) });
    client.end(`HTTP/1.1 ${e.code === "ADDRESS_REFUSED" ? "403 Forbidden" : "502 Bad Gateway"}\r\n\r\n`);
  });
  client.once("close", () => upstream.destroy());
}

/** Plain http: the request line carries the absolute URL. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: (host: string, port: number) => boolean,
  budget: PageBudget,
  answers: Answers,
): void {
  let target: URL;
  try {
    target = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end();
    return;
  }
  const host = bareHost(target.hostname);
  const port = Number(target.port || 80);
  if (target.protocol !== "http:" || refusedLiteral(host, port, allowed)) {
    res.writeHead(403).end();
    return;
  }
  // No shared keep-alive pool: a pooled socket would skip the lookup that guards it.
  let response: IncomingMessage | undefined;
  const upstream = httpRequest(
    target,
    { method: req.method, headers: req.headers, agent: false, lookup: guardedLookup(allowed(host, port)) },
    (up) => {
      response = up;
      answers.set(target.href, { status: up.statusCode ?? 0, location: up.headers.location });
      up.once("aborted", () => {
        // Cut off by the site, not by the browser's close or our cut (those close `res` first).
        if (!res.destroyed) answers.set(target.href, { error: connectionClosed() });
      });
      res.writeHead(up.statusCode ?? 502, up.rawHeaders);
      relay(up, res, budget.response(target.href));
    },
  );
  upstream.on("error", (e: NodeJS.ErrnoException) => {
    if (response) {
      if (!response.complete) answers.set(target.href, { error: connectionClosed() });
      return void res.destroy();
    }
    answers.set(target.href, { error: classifyFetchError(e, target) });
    res.writeHead(e.code === "ADDRESS_REFUSED" ? 403 : 502).end();
  });
  req.pipe(upstream);
  res.once("close", () => upstream.destroy());
}

/**
 * Copies a response to the browser, counting it as decoded; cuts both connections once it is
 * over budget. A chunk is passed on only after it was decoded and counted: a few kilobytes of a
 * gzip bomb unpack to megabytes, and must not reach the browser before the count says no.
 */
function relay(up: IncomingMessage, res: ServerResponse, count: (bytes: number) => boolean): void {
  const cut = () => {
    res.destroy(); // first: `up` then knows the cut was ours
    up.destroy();
  };
  const encoding = String(up.headers["content-encoding"] ?? "").toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "br"
        ? createBrotliDecompress()
        : encoding === "deflate"
          ? createInflate()
          : undefined;
  if (!decoder) {
    up.on("data", (chunk: Buffer) => {
      if (!count(chunk.length)) cut();
    });
    up.pipe(res);
    return;
  }
  let over = false;
  decoder.on("data", (chunk: Buffer) => {
    if (!over && !count(chunk.length)) {
      over = true;
      decoder.destroy();
      cut();
    }
  });
  decoder.on("error", () => undefined); // a broken encoding is the browser's to report
  let pending = false;
  let ended = false;
  const finish = () => {
    decoder.end();
    if (!over && !res.destroyed) res.end();
  };
  up.on("data", (chunk: Buffer) => {
    up.pause();
    pending = true;
    decoder.write(chunk, () => {
      pending = false;
      if (over || res.destroyed) return;
      if (res.write(chunk)) up.resume();
      else res.once("drain", () => up.resume());
      if (ended) finish();
    });
  });
  up.once("end", () => {
    ended = true;
    if (!pending) finish();
  });
  up.once("close", () => {
    if (ended) return;
    decoder.destroy();
    res.destroy();
  });
}
