// The headless browser: puppeteer-core driving the system Chromium. Imported only by the
// analyser when a page needs rendering; puppeteer itself is loaded lazily on first use.
import { accessSync, constants, statSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { Browser, BrowserContext, HTTPRequest, HTTPResponse, Page } from "puppeteer-core";
import { UnavailableError } from "../../errors.ts";
import type { BrowserExtras, DomFact } from "./browser-extras.ts";
import { checkHost } from "./address-guard.ts";
import { makeChromiumHome, removeChromiumHome } from "./browser-home.ts";
import { WebFetchError } from "./fetch-error.ts";
import { startGuardProxy, type GuardProxy } from "./guard-proxy.ts";
import { REDIRECT_STATUSES, redirectTarget } from "./http-fetch.ts";

export interface DomQuery {
  selector: string;
  attributes: string[];
  properties: string[];
}

export interface RenderRequest {
  url: string;
  timeoutMs: number;
  /** The largest response the page may load (decoded); the page's responses together may come to PAGE_BYTES_FACTOR times it. */
  maxBytes: number;
  /** The per-host pause, also before each navigation of the page after its first (a redirect, a meta refresh, a script). */
  delayMs: number;
  /** Navigations after the first the page may make (the plain-HTTP redirect limit). */
  maxRedirects: number;
  userAgent: string;
  jsProperties: readonly string[];
  domQueries: readonly DomQuery[];
  signal?: AbortSignal | undefined;
}

export interface RenderedPage {
  url: string;
  finalUrl: string;
  status: number;
  headers: Array<[string, string]>;
  /** The document's Content-Type header ("" when it had none). */
  contentType: string;
  /** What Chromium took the document for (its own sniffing when there was no Content-Type). */
  documentType: string;
  /** The rendered main document, then the documents of its frames (checkout widgets live in iframes). */
  html: string;
  cookies: Array<[string, string]>;
  extras: BrowserExtras;
  /** Requests refused by the address guard. */
  refused: string[];
}

/** One site's isolated browser context (its own cookies and address policy); close it when the site is done. */
export interface BrowserSession {
  render(req: RenderRequest): Promise<RenderedPage>;
  close(): Promise<void>;
}

/** Which private addresses a session may reach (--allow-private, --allow-host). */
export interface AddressPolicy {
  allowPrivate: boolean;
  /** host[:port] values, as URL.host writes them. */
  allowHosts: ReadonlySet<string>;
}

export interface BrowserHandle {
  newSession(policy: AddressPolicy): Promise<BrowserSession>;
  release(): Promise<void>;
}

export const CHROMIUM_HINT = "install Chromium (Debian: apt-get install chromium) or set chromiumPath / LEADJOBS_CHROMIUM_PATH";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--mute-audio",
  "--disable-extensions",
  // WebRTC may only use the (guarded) proxy, not UDP straight to any address.
  "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
  // A page's JavaScript heap is capped: a hostile page runs out of memory alone, not the machine.
  "--js-flags=--max-old-space-size=256",
  "--renderer-process-limit=2",
];
const BLOCKED_TYPES = new Set(["image", "font", "media"]);
/** Puppeteer's errors for a page that went on to another document while it was waited for or read. */
const NAVIGATED_AWAY = /context was destroyed|navigat|detached|ERR_ABORTED|Cannot find context/i;
/** A page's scripts, styles and frames together may be this many times the size of one response. */
export const PAGE_BYTES_FACTOR = 5;

/** Throws UnavailableError (exit 69) when no executable Chromium is at `path`. */
export function assertChromium(path: string): void {
  try {
    accessSync(path, constants.X_OK);
    if (statSync(path).isFile()) return;
  } catch {
    // not there, or not executable
  }
  throw new UnavailableError(`Chromium not found at ${path}`, { hint: CHROMIUM_HINT });
}

interface Shared {
  path: string;
  browser: Promise<Browser>;
  refs: number;
  slots: Semaphore;
}
let shared: Shared | undefined;

/**
 * The process's one browser, launched on first use and closed when the last holder releases
 * it. Pages are rendered `maxPages` at a time across all holders.
 */
export async function acquireBrowser(o: { executablePath: string; maxPages: number }): Promise<BrowserHandle> {
  assertChromium(o.executablePath);
  if (!shared || shared.path !== o.executablePath) {
    // Chromium that crashed or was killed is not handed out again: the next holder gets a new
    // one (a long `process --wait` must not fail every later browser page).
    const gone = () => {
      if (shared === fresh) shared = undefined;
    };
    const fresh: Shared = { path: o.executablePath, browser: launch(o.executablePath, gone), refs: 0, slots: new Semaphore(o.maxPages) };
    shared = fresh;
  }
  const s = shared;
  s.refs++;
  s.slots.grow(o.maxPages);
  let browser: Browser;
  try {
    browser = await s.browser;
  } catch (e) {
    s.refs--;
    if (shared === s) shared = undefined;
    throw e;
  }
  let released = false;
  return {
    newSession: async (policy) => {
      const proxy = await startGuardProxy(hostAllowed(policy));
      try {
        // <-loopback>: loopback goes through the proxy too (Chromium would bypass it by default).
        const context = await browser.createBrowserContext({ proxyServer: proxy.url, proxyBypassList: ["<-loopback>"] });
        return session(context, proxy, policy, s.slots, browser);
      } catch (e) {
        await proxy.close();
        throw e;
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      s.refs--;
      if (s.refs > 0) return;
      if (shared === s) shared = undefined;
      await closeWithin(() => browser.close());
      if (browser.connected) browser.process()?.kill("SIGKILL");
    },
  };
}

/**
 * Chromium may never confirm the close of a page whose navigation was cut off (puppeteer then
 * waits for a "target destroyed" that does not come, and a cron run hangs for ever): wait at
 * most this long, then go on. The context's or the browser's close takes what is left.
 */
const CLOSE_WAIT_MS = 5_000;

function closeWithin(close: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    void close()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}

async function launch(path: string, onGone: () => void): Promise<Browser> {
  const puppeteer = await import("puppeteer-core");
  // Chromium writes crash-report folders under XDG_CONFIG_HOME: keep them out of the user's own
  // profile, in the launch's own folder beside its profile (in memory where it can be).
  const home = makeChromiumHome();
  try {
    const browser = await puppeteer.launch({
      executablePath: path,
      headless: true,
      args: ARGS,
      protocolTimeout: 60_000,
      userDataDir: join(home, "profile"),
      env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
      // Signals are ours: puppeteer's own handlers would exit at once on SIGINT (no release of
      // running jobs) and close Chromium under running pages on SIGTERM. The commands stop
      // gracefully and release the browser. Over a pipe, Chromium also exits when this process
      // dies without cleaning up (kill -9, SIGHUP): no Chromium is left behind.
      pipe: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    browser.once("disconnected", () => {
      removeChromiumHome(home, browser.process());
      onGone();
    });
    return browser;
  } catch (e) {
    removeChromiumHome(home, null);
    throw new UnavailableError(`Chromium at ${path} did not start: ${(e as Error).message.split("\n")[0]}`, {
      hint: CHROMIUM_HINT,
      cause: e,
    });
  }
}

/** The proxy's question: may this host:port be a private address? */
function hostAllowed(p: AddressPolicy): (host: string, port: number) => boolean {
  return (host, port) => {
    if (p.allowPrivate) return true;
    const name = isIP(host) === 6 ? `[${host}]` : host.toLowerCase();
    return p.allowHosts.has(`${name}:${port}`) || ((port === 80 || port === 443) && p.allowHosts.has(name));
  };
}

function session(context: BrowserContext, proxy: GuardProxy, policy: AddressPolicy, slots: Semaphore, browser: Browser): BrowserSession {
  const hostChecks = new Map<string, Promise<"ok" | "private" | "unresolved">>();
  return {
    render: async (req) => {
      await slots.acquire(req.signal);
      let page: Page | undefined;
      try {
        page = await context.newPage();
        return await renderPage(page, req, policy, hostChecks, browser, proxy);
      } finally {
        slots.release();
        if (page) await closeWithin(() => (page as Page).close());
      }
    },
    close: async () => {
      await closeWithin(() => context.close());
      await proxy.close();
    },
  };
}

async function renderPage(
  page: Page,
  req: RenderRequest,
  policy: AddressPolicy,
  hostChecks: Map<string, Promise<"ok" | "private" | "unresolved">>,
  browser: Browser,
  proxy: GuardProxy,
): Promise<RenderedPage> {
  // Set when the page must end early (too large, a navigation loop); every wait below races it.
  let stopped: WebFetchError | undefined;
  let stop!: (e: WebFetchError) => void;
  const stopping = new Promise<never>((_, reject) => {
    stop = (e) => {
      stopped ??= e;
      reject(stopped);
    };
  });
  stopping.catch(() => undefined);
  const orStop = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stopping]);
  proxy.beginPage({ requestBytes: req.maxBytes, pageBytes: req.maxBytes * PAGE_BYTES_FACTOR }, (why) =>
    stop(new WebFetchError("too-large", `page too large: ${req.url}: ${why}; cut off`)),
  );
  const navigations: string[] = [];
  const navigationEnds = new Map<string, number>();
  const scriptUrls: string[] = [];
  const xhrUrls: string[] = [];
  const refused: string[] = [];
  type Verdict = "ok" | "private" | "unresolved";
  let mainBlocked = "ok" as Verdict; // set by the request handler
  const verdict = (u: URL): Promise<Verdict> => {
    let p = hostChecks.get(u.host);
    const allowPrivate = policy.allowPrivate || policy.allowHosts.has(u.host);
    // A host that does not resolve for us will not for Chromium either: refuse it at once
    // instead of letting the page wait for Chromium's own lookup to time out.
    if (!p)
      hostChecks.set(
        u.host,
        (p = checkHost(u.hostname, allowPrivate).then(
          () => "ok" as const,
          (e: Error) => (e.name === "AddressRefusedError" ? ("private" as const) : ("unresolved" as const)),
        )),
      );
    return p;
  };
  await page.setUserAgent({ userAgent: `${await browser.userAgent()} ${req.userAgent}` });
  await page.setRequestInterception(true);
  page.on("request", (r: HTTPRequest) => void intercept(r));
  const navigationEnded = (r: HTTPRequest) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigationEnds.set(hostOf(r.url()), Date.now());
  };
  page.on("requestfinished", navigationEnded);
  page.on("requestfailed", navigationEnded);
  // The last document the main frame received: after a refresh, the page that is read.
  let lastDocument: HTTPResponse | undefined;
  page.on("response", (res) => {
    navigationEnded(res.request());
    if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) lastDocument = res;
  });
  /**
   * The main frame's navigations (redirects, meta refreshes, scripts) after the first: no more
   * than the plain-HTTP redirect limit, each after the per-host pause. Returns false when the
   * request must not go on.
   */
  async function politeNavigation(url: string): Promise<boolean> {
    navigations.push(url);
    if (navigations.length === 1) return true; // the host gate paused before this one
    if (navigations.length > req.maxRedirects + 1) {
      stop(
        new WebFetchError(
          "too-many-redirects",
          `redirect loop: more than ${req.maxRedirects} redirects or refreshes from ${req.url} (last to ${url})`,
        ),
      );
      return false;
    }
    const wait = (navigationEnds.get(hostOf(url)) ?? 0) + req.delayMs - Date.now();
    if (wait > 0) await orStop(new Promise((r) => setTimeout(r, wait))).catch(() => undefined);
    return stopped === undefined;
  }
  async function intercept(r: HTTPRequest): Promise<void> {
    if (r.isInterceptResolutionHandled()) return;
    const type = r.resourceType();
    const url = r.url();
    if (type === "script") scriptUrls.push(url);
    if (type === "xhr" || type === "fetch") xhrUrls.push(url);
    if (BLOCKED_TYPES.has(type)) return void r.abort("blockedbyclient").catch(() => undefined);
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return void r.abort("blockedbyclient").catch(() => undefined);
    }
    // The favicon is an image too: not fetched (it also came between a page's navigations, unpaced).
    if (type === "other" && /\/favicon\.ico$/i.test(u.pathname)) return void r.abort("blockedbyclient").catch(() => undefined);
    if (u.protocol === "data:" || u.protocol === "blob:" || (u.protocol === "file:" && req.url.startsWith("file:"))) {
      return void r.continue().catch(() => undefined);
    }
    const main = r.isNavigationRequest() && r.frame() === page.mainFrame();
    const v: Verdict = u.protocol !== "http:" && u.protocol !== "https:" ? "private" : await verdict(u);
    if (v !== "ok") {
      if (v === "private") refused.push(url);
      if (main) mainBlocked = v;
      return void r.abort("blockedbyclient").catch(() => undefined);
    }
    if (main && !(await politeNavigation(url))) return void r.abort("blockedbyclient").catch(() => undefined);
    return void r.continue().catch(() => undefined);
  }

  const deadline = Date.now() + req.timeoutMs;
  const onAbort = () => void page.close().catch(() => undefined);
  req.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (req.signal?.aborted) throw new WebFetchError("cancelled", "cancelled");
    let response: HTTPResponse | null = null;
    try {
      response = await orStop(page.goto(req.url, { waitUntil: "domcontentloaded", timeout: req.timeoutMs }));
    } catch (e) {
      if (req.signal?.aborted) throw new WebFetchError("cancelled", "cancelled");
      if (stopped) throw stopped;
      const message = (e as Error).message;
      // The page went on to another document before this one loaded (a refresh, a script):
      // read what it settles on below.
      const superseded = NAVIGATED_AWAY.test(message) && lastDocument !== undefined && Date.now() < deadline;
      if (mainBlocked === "private") {
        throw new WebFetchError(
          "refused-address",
          `refused to fetch ${req.url} or a redirect of it: private, loopback or link-local address (allow with --allow-private)`,
        );
      }
      if (mainBlocked === "unresolved")
        throw new WebFetchError("network", `cannot resolve ${new URL(req.url).hostname} (or a redirect of it)`);
      const dropped = droppedDocument(proxy, navigations.at(-1) ?? req.url);
      if (dropped) throw dropped;
      if (/timeout/i.test(message)) throw new WebFetchError("timeout", `timed out after ${req.timeoutMs}ms: ${req.url} (browser)`);
      if (!superseded) throw new WebFetchError("browser", `${req.url}: ${message.split("\n")[0]}`);
    }
    // Widgets load after DOMContentLoaded: give the network a moment to settle.
    await orStop(
      page.waitForNetworkIdle({ idleTime: 400, timeout: Math.max(500, Math.min(5000, deadline - Date.now())) }).catch(() => undefined),
    );
    // A page that navigates while it is read (a refresh, a script) is read again once the next
    // document is there; a loop ends at the navigation limit (politeNavigation), a slow one at the deadline.
    for (;;) {
      try {
        const read = await orStop(readPage(page, req));
        if (stopped) throw stopped;
        const document = lastDocument ?? response;
        const failure = cutDocument(proxy, navigations.at(-1) ?? req.url) ?? unfollowedRedirect(document);
        if (failure) throw failure;
        const headers = Object.entries(document?.headers() ?? {}).map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
        return {
          url: req.url,
          finalUrl: documentUrl(page.url(), document, req.url),
          status: document?.status() ?? 0,
          headers,
          contentType: headers.find(([k]) => k === "content-type")?.[1] ?? "",
          documentType: read.documentType,
          html: read.html,
          cookies: read.cookies,
          extras: { js: read.js, dom: read.dom, scriptUrls, xhrUrls },
          refused,
        };
      } catch (e) {
        if (stopped) throw stopped;
        if (req.signal?.aborted) throw new WebFetchError("cancelled", "cancelled");
        if (e instanceof WebFetchError) throw e;
        if (!NAVIGATED_AWAY.test((e as Error).message))
          throw new WebFetchError("browser", `${req.url}: the rendered page could not be read`, { cause: e });
        if (Date.now() >= deadline)
          throw new WebFetchError("timeout", `timed out after ${req.timeoutMs}ms: ${req.url} (browser: the page kept navigating)`);
        await orStop(
          page.waitForNavigation({ waitUntil: "domcontentloaded", timeout: Math.max(500, deadline - Date.now()) }).catch(() => null),
        );
      }
    }
  } finally {
    req.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The proxy's word on a main-frame document Chromium gave up on without one (its navigation
 * failed): the site's connection failed, or it answered with a 3xx Chromium does not follow
 * (a 304, a redirect to nowhere). Said as plain HTTP says it.
 */
function droppedDocument(proxy: GuardProxy, url: string): WebFetchError | undefined {
  const answer = proxy.answer(url);
  if (!answer) return undefined;
  if ("error" in answer) return answer.error;
  if (REDIRECT_STATUSES.has(answer.status)) return badRedirect(answer.status, answer.location, url);
  if (answer.status >= 300 && answer.status < 400) return new WebFetchError("http-status", `HTTP ${answer.status} from ${url}`);
  return undefined;
}

/** A main-frame document the site cut off, or never sent (Chromium then shows its own error page). */
function cutDocument(proxy: GuardProxy, url: string): WebFetchError | undefined {
  const answer = proxy.answer(url);
  return answer && "error" in answer ? answer.error : undefined;
}

/** A rendered redirect: Chromium found no Location it could follow. */
function unfollowedRedirect(document: HTTPResponse | null | undefined): WebFetchError | undefined {
  if (!document || !REDIRECT_STATUSES.has(document.status())) return undefined;
  return badRedirect(document.status(), document.headers().location, document.url());
}

/** Why a redirect was not followed: no Location, one that is no URL, or one that is not http(s). */
function badRedirect(status: number, location: string | undefined, from: string): WebFetchError | undefined {
  let to: string;
  try {
    to = redirectTarget(status, location, from);
  } catch (e) {
    return e as WebFetchError;
  }
  return /^https?:/.test(to) ? undefined : new WebFetchError("bad-url", `only http and https can be fetched: ${to}`);
}

/** Where the page's document came from: the page's address, unless that is Chromium's own (a download leaves about:blank). */
function documentUrl(pageUrl: string, document: HTTPResponse | null | undefined, requested: string): string {
  return /^(?:https?|file):/.test(pageUrl) ? pageUrl : (document?.url() ?? requested);
}

/** The rendered document and its frames, the page's script globals, DOM facts and cookies. */
async function readPage(
  page: Page,
  req: RenderRequest,
): Promise<{
  html: string;
  documentType: string;
  js: Map<string, string>;
  dom: Map<string, DomFact>;
  cookies: Array<[string, string]>;
}> {
  const main = await page.content();
  const documentType = await page.evaluate(evaluateContentType);
  const frames: string[] = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    const html = await f.content().catch(() => "");
    if (html) frames.push(`<!-- frame ${f.url()} -->\n${html}`);
  }
  const js = await page.evaluate(evaluateJs, [...req.jsProperties]).catch(() => ({}) as Record<string, string>);
  const dom = await page.evaluate(evaluateDom, [...req.domQueries]).catch(() => [] as Array<DomFact & { selector: string }>);
  const cookies = (
    await page
      .browserContext()
      .cookies()
      .catch(() => [])
  ).map((c) => [c.name, c.value] as [string, string]);
  return {
    html: [main, ...frames].join("\n"),
    documentType,
    js: new Map(Object.entries(js)),
    dom: new Map(dom.map((d) => [d.selector, d])),
    cookies,
  };
}

/** host[:port] of a URL, "" when it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

// These run inside the page: plain functions without closures.
function evaluateContentType(): string {
  return (globalThis as unknown as { document: { contentType: string } }).document.contentType;
}

function evaluateJs(props: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of props) {
    try {
      let v: unknown = globalThis;
      for (const k of p.split(".")) {
        if (v === null || v === undefined) {
          v = undefined;
          break;
        }
        v = (v as Record<string, unknown>)[k];
      }
      if (v === undefined || v === null) continue;
      out[p] = typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
    } catch {
      // a getter that throws: not there
    }
  }
  return out;
}

interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}

function evaluateDom(queries: DomQuery[]): Array<DomFact & { selector: string }> {
  const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<PageElement> } }).document;
  const out: Array<DomFact & { selector: string }> = [];
  for (const q of queries) {
    let els: PageElement[];
    try {
      els = Array.from(doc.querySelectorAll(q.selector)).slice(0, 5);
    } catch {
      continue;
    }
    const attributes: Record<string, string[]> = {};
    const properties: Record<string, string[]> = {};
    for (const a of q.attributes) attributes[a] = els.map((e) => e.getAttribute(a)).filter((v): v is string => v !== null);
    for (const p of q.properties)
      properties[p] = els
        .map((e) => (e as unknown as Record<string, unknown>)[p])
        .filter((v) => v !== undefined && v !== null)
        .map(String);
    out.push({
      selector: q.selector,
      exists: els.length > 0,
      texts: els.map((e) => (e.textContent ?? "").trim().slice(0, 300)),
      attributes,
      properties,
    });
  }
  return out;
}

/** A counting semaphore whose size can grow (the largest concurrency any holder asked for). */
class Semaphore {
  private size: number;
  private used = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(size: number) {
    this.size = size;
  }
  grow(size: number): void {
    while (this.size < size) {
      this.size++;
      this.waiters.shift()?.();
    }
  }
  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new WebFetchError("cancelled", "cancelled");
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener("abort", stop);
        this.used++;
        resolve();
      };
      const stop = () => {
        const i = this.waiters.indexOf(go);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new WebFetchError("cancelled", "cancelled"));
      };
      this.waiters.push(go);
      signal?.addEventListener("abort", stop, { once: true });
    });
  }
  release(): void {
    this.used--;
    if (this.used < this.size) this.waiters.shift()?.();
  }
}
