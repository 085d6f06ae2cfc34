import { UnavailableError, errorMessage } from "../errors.ts";
import { CookieJar } from "../integrations/web/cookie-jar.ts";
import { WebFetchError, type FetchErrorKind } from "../integrations/web/fetch-error.ts";
import { readLocalSite } from "../integrations/web/file-source.ts";
import { RobotsDisallowedError } from "../integrations/web/robots.ts";
import type { BrowserSession, DomQuery, RenderedPage } from "../integrations/web/browser.ts";
import { MAX_REDIRECTS, type FetchedPage } from "../integrations/web/http-fetch.ts";
import { ANALYSIS_SPECS, type AnalysisType } from "./analysis-types.ts";
import { blockedReason, type Blocked } from "./blocked.ts";
import type { WebDeps } from "./deps.ts";
import { matchPage, resolveDetections, type Detection, type HitMap } from "./detect.ts";
import { extractFacts, type PageFacts } from "./facts.ts";
import { candidatePages, type PageKind } from "./site-links.ts";
import { siteKey } from "./site-url.ts";

export type SiteStatus = "ok" | "blocked" | "failed";

export interface PageVisit {
  url: string;
  kind: PageKind;
  via: "http" | "browser" | "file";
  status: number | null;
  bytes?: number;
  truncated?: boolean;
  blocked?: string;
  error?: string;
}

/** The outcome of analysing one site. Site problems are results (failed, blocked), not exceptions. */
export interface SiteAnalysis {
  url: string;
  finalUrl: string | null;
  /** History key: host without www. (or file path). */
  site: string;
  analysis: AnalysisType;
  status: SiteStatus;
  error: string | null;
  errorKind: FetchErrorKind | "http-status" | "not-html" | "robots" | null;
  blocked: Blocked | null;
  /** How the start page was read in the end. */
  via: "http" | "browser" | "file";
  /** The most confident e-commerce platform, when the analysis covers platforms. */
  platform: string | null;
  detections: Detection[];
  pages: PageVisit[];
  notes: string[];
  /** The links of the start page as finally read (empty unless ok): for follow-up readers such as the careers page. */
  links: PageFacts["links"];
  durationMs: number;
}

/**
 * Analyses one site for an analysis type: the start page over plain HTTP, the browser only
 * when needed (a script-rendered page, a shop whose platform only js/dom rules can tell, the
 * checkout pages of checkout analyses, or `browserMode: always`), then the cart, checkout and
 * shipping-terms pages for checkout analyses. Throws only when `signal` is aborted, or
 * UnavailableError when the browser is required and Chromium is missing.
 */
export async function analyseSite(url: string, type: AnalysisType, deps: WebDeps, signal?: AbortSignal): Promise<SiteAnalysis> {
  const run = new SiteRun(url, type, deps, signal);
  try {
    return await run.execute();
  } finally {
    await run.dispose();
  }
}

class SiteRun {
  private readonly started: number;
  private readonly hits: HitMap = new Map();
  private readonly pages: PageVisit[] = [];
  private readonly notes: string[] = [];
  private readonly jar = new CookieJar();
  private session: Promise<BrowserSession> | undefined;
  private finalUrl: string | null = null;
  private startLinks: PageFacts["links"] = [];
  private via: SiteAnalysis["via"] = "http";
  private readonly url: string;
  private readonly type: AnalysisType;
  private readonly deps: WebDeps;
  private readonly signal: AbortSignal | undefined;

  constructor(url: string, type: AnalysisType, deps: WebDeps, signal: AbortSignal | undefined) {
    this.url = url;
    this.type = type;
    this.deps = deps;
    this.signal = signal;
    this.started = deps.clock();
  }

  async execute(): Promise<SiteAnalysis> {
    if (this.url.startsWith("file:")) return this.local();
    const spec = ANALYSIS_SPECS[this.type];
    let start: PageFacts;
    try {
      start = await this.startPage();
    } catch (e) {
      return this.failure(e);
    }
    if (spec.checkoutPages) {
      for (const c of candidatePages(start, Math.max(0, this.deps.maxPages - 1))) {
        this.signal?.throwIfAborted();
        await this.extraPage(c.url, c.kind);
      }
    }
    return this.result("ok", null, null, null);
  }

  private async startPage(): Promise<PageFacts> {
    const mode = this.deps.browserMode;
    if (mode === "always") {
      this.via = "browser";
      return this.render(this.url, "start");
    }
    const page = await this.http(this.url);
    this.finalUrl = page.finalUrl;
    const facts = extractFacts({ url: page.finalUrl, html: page.body, headers: page.headers, cookies: this.jar.all(page.finalUrl) });
    const visit = this.visit(this.url, "start", "http", page);
    const blocked = blockedReason(page.status, page.headers, page.body, facts.text.length);
    if (blocked) {
      visit.blocked = blocked.reason;
      throw new BlockedSite(blocked);
    }
    if (!successful(page.status)) throw new WebFetchError("http-status", `HTTP ${page.status} from ${page.finalUrl}`);
    if (!looksLikeHtml(page)) throw new NotHtml(`not an HTML page (${page.contentType || "no content type"}): ${page.finalUrl}`);
    matchPage(this.deps.fingerprints, facts, this.hits);
    this.startLinks = facts.links;
    if (mode === "never") return facts;

    const scripted = scriptRendered(facts);
    const covered = ANALYSIS_SPECS[this.type].groups.includes("platform");
    const unknownShop = covered && !this.hasPlatform() && looksLikeShop(facts) && this.platformNeedsBrowser();
    if (!scripted && !unknownShop) return facts;
    try {
      const rendered = await this.render(page.finalUrl, "start");
      this.via = "browser";
      return rendered;
    } catch (e) {
      if (!(e instanceof UnavailableError) || scripted) throw e;
      this.notes.push(`no browser (${e.message}): rules that need one were skipped`);
    }
    return facts;
  }

  private async extraPage(url: string, kind: Exclude<PageKind, "start">): Promise<void> {
    let facts: PageFacts | undefined;
    if (this.deps.browserMode !== "always") {
      let page: FetchedPage;
      try {
        page = await this.http(url);
      } catch (e) {
        if (this.signal?.aborted) throw e;
        this.pages.push({ url, kind, via: "http", status: null, error: errorMessage(e) });
        return;
      }
      const visit = this.visit(url, kind, "http", page);
      if (!successful(page.status) || !looksLikeHtml(page)) {
        const blocked = blockedReason(page.status, page.headers, page.body, 0);
        if (blocked) visit.blocked = blocked.reason;
        return;
      }
      facts = extractFacts({ url: page.finalUrl, html: page.body, headers: page.headers, cookies: this.jar.all(page.finalUrl) });
      const blocked = blockedReason(page.status, page.headers, page.body, facts.text.length);
      if (blocked) {
        visit.blocked = blocked.reason;
        return;
      }
      matchPage(this.deps.fingerprints, facts, this.hits);
      if (this.deps.browserMode === "never") return;
      if (kind !== "checkout" && !scriptRendered(facts)) return;
      url = page.finalUrl;
    }
    try {
      await this.render(url, kind);
    } catch (e) {
      if (e instanceof UnavailableError || this.signal?.aborted) throw e;
      this.pages.push({ url, kind, via: "browser", status: null, error: errorMessage(e) });
    }
  }

  /** Renders a page in the browser and matches it; returns its facts. Page errors of extra pages are recorded by the caller. */
  private async render(url: string, kind: PageKind): Promise<PageFacts> {
    await this.checkRobots(url);
    const session = await this.browserSession();
    const set = this.deps.fingerprints;
    const host = new URL(url).host;
    const page: RenderedPage = await this.deps.gate.run(
      host,
      () =>
        session.render({
          url,
          timeoutMs: this.deps.timeoutMs,
          maxBytes: this.deps.maxBytes,
          delayMs: this.deps.gate.delayMs,
          maxRedirects: MAX_REDIRECTS,
          userAgent: this.deps.userAgent,
          jsProperties: set.jsProperties,
          domQueries: domQueries(set),
          signal: this.signal,
        }),
      this.signal,
    );
    const facts = extractFacts({ url: page.finalUrl, html: page.html, headers: page.headers, cookies: page.cookies, browser: page.extras });
    const visit: PageVisit = { url, kind, via: "browser", status: page.status };
    this.pages.push(visit);
    const blocked = blockedReason(page.status, page.headers, page.html, facts.text.length);
    if (blocked) {
      visit.blocked = blocked.reason;
      if (kind === "start") throw new BlockedSite(blocked);
      return facts;
    }
    if (kind === "start") {
      this.finalUrl = page.finalUrl;
      if (!successful(page.status)) throw new WebFetchError("http-status", `HTTP ${page.status} from ${page.finalUrl}`);
      if (!renderedHtml(page)) throw new NotHtml(`not an HTML page (${page.contentType || "no content type"}): ${page.finalUrl}`);
      this.startLinks = facts.links;
    } else if (!successful(page.status) || !renderedHtml(page)) {
      return facts; // as over plain HTTP: visited, not read
    }
    matchPage(set, facts, this.hits);
    return facts;
  }

  private async browserSession(): Promise<BrowserSession> {
    if (!this.session) {
      this.session = this.deps
        .browser()
        .then((b) => b.newSession({ allowPrivate: this.deps.allowPrivate, allowHosts: this.deps.allowHosts }));
      this.session.catch(() => undefined);
    }
    return this.session;
  }

  /** A page robots.txt does not allow is not fetched (RobotsDisallowedError). */
  private async checkRobots(url: string): Promise<void> {
    if (this.deps.robots && !(await this.deps.robots.allowed(url))) throw new RobotsDisallowedError(url);
  }

  private async http(url: string): Promise<FetchedPage> {
    await this.checkRobots(url);
    const host = new URL(url).host;
    return this.deps.gate.run(host, () => this.deps.httpGet(url, this.jar, this.signal), this.signal);
  }

  private visit(url: string, kind: PageKind, via: PageVisit["via"], page: FetchedPage): PageVisit {
    const v: PageVisit = { url: page.finalUrl !== url ? page.finalUrl : url, kind, via, status: page.status, bytes: page.bytes };
    if (page.truncated) {
      v.truncated = true;
      this.notes.push(`${page.finalUrl} is larger than ${this.deps.maxBytes} bytes: only the first ${this.deps.maxBytes} were read`);
    }
    this.pages.push(v);
    return v;
  }

  private local(): SiteAnalysis {
    try {
      const { start, others } = readLocalSite(this.url, this.deps.maxBytes);
      this.via = "file";
      this.finalUrl = start.url;
      for (const p of [start, ...others]) {
        const facts = extractFacts({ url: p.url, html: p.html });
        if (p === start) this.startLinks = facts.links;
        this.pages.push({
          url: p.url,
          kind: p === start ? "start" : "checkout",
          via: "file",
          status: null,
          bytes: p.bytes,
          ...(p.truncated ? { truncated: true } : {}),
        });
        matchPage(this.deps.fingerprints, facts, this.hits);
      }
      return this.result("ok", null, null, null);
    } catch (e) {
      return this.failure(e);
    }
  }

  private failure(e: unknown): SiteAnalysis {
    if (this.signal?.aborted) throw this.signal.reason;
    if (e instanceof UnavailableError) throw e;
    if (e instanceof BlockedSite) return this.result("blocked", `blocked: ${e.blocked.reason}`, null, e.blocked);
    if (e instanceof NotHtml) return this.result("failed", e.message, "not-html", null);
    if (e instanceof RobotsDisallowedError) return this.result("failed", e.message, "robots", null);
    if (e instanceof WebFetchError) return this.result("failed", e.message, e.kind, null);
    return this.result("failed", errorMessage(e), "network", null);
  }

  private result(status: SiteStatus, error: string | null, errorKind: SiteAnalysis["errorKind"], blocked: Blocked | null): SiteAnalysis {
    const groups = ANALYSIS_SPECS[this.type].groups;
    const detections =
      status === "ok"
        ? resolveDetections(this.deps.fingerprints, this.hits, this.deps.minConfidence).filter((d) => groups.includes(d.group))
        : [];
    return {
      url: this.url,
      finalUrl: this.finalUrl,
      site: siteKey(this.url),
      analysis: this.type,
      status,
      error,
      errorKind,
      blocked,
      via: this.via,
      platform: detections.find((d) => d.group === "platform")?.name ?? null,
      detections,
      pages: this.pages,
      notes: this.notes,
      links: status === "ok" ? this.startLinks : [],
      durationMs: this.deps.clock() - this.started,
    };
  }

  private hasPlatform(): boolean {
    return resolveDetections(this.deps.fingerprints, this.hits, this.deps.minConfidence).some((d) => d.group === "platform");
  }

  private platformNeedsBrowser(): boolean {
    const set = this.deps.fingerprints;
    return [...set.browserRuleTechs].some((n) => set.technologies.get(n)?.group === "platform");
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await (await s.catch(() => undefined))?.close();
  }
}

class BlockedSite extends Error {
  readonly blocked: Blocked;
  constructor(blocked: Blocked) {
    super(blocked.reason);
    this.blocked = blocked;
  }
}

class NotHtml extends Error {}

/** A 2xx: a 3xx that was not followed (304, 300) is no page either. */
function successful(status: number): boolean {
  return status >= 200 && status < 300;
}

const htmlType = (contentType: string): boolean => /html|xml/i.test(contentType);

function looksLikeHtml(page: FetchedPage): boolean {
  if (htmlType(page.contentType)) return true;
  return !page.contentType && /<(?:!doctype html|html|head|body)\b/i.test(page.body.slice(0, 2048));
}

/** The browser's counterpart: without a Content-Type, what Chromium's own sniffing made of it. */
function renderedHtml(page: RenderedPage): boolean {
  return htmlType(page.contentType) || (!page.contentType && htmlType(page.documentType));
}

/** Little visible text but scripts or an empty app root: the content is made by JavaScript. */
export function scriptRendered(f: PageFacts): boolean {
  if (f.text.length >= 250) return false;
  return f.scriptSrc.length > 0 || /<div[^>]+id=["'](?:root|app|__next|__nuxt|main)["'][^>]*>\s*<\/div>/i.test(f.html);
}

const SHOP_WORDS = /\b(?:lägg i (?:varu)?korgen|köp nu|till kassan|varukorg|kundvagn|add to (?:cart|basket|bag)|checkout)\b/i;

/** Commerce signals: cart links or words. */
export function looksLikeShop(f: PageFacts): boolean {
  return (
    SHOP_WORDS.test(f.text) ||
    f.links.some((l) => /\/(?:kassa|checkout|cart|varukorg|kundvagn|basket)(?:$|[/?#])/i.test(l.href.replace(/^[a-z]+:\/\/[^/]+/i, "")))
  );
}

function domQueries(set: WebDeps["fingerprints"]): DomQuery[] {
  const bySelector = new Map<string, DomQuery>();
  for (const t of set.technologies.values()) {
    for (const r of t.rules) {
      if (r.field !== "dom" || !r.key) continue;
      const q = bySelector.get(r.key) ?? { selector: r.key, attributes: [], properties: [] };
      bySelector.set(r.key, q);
      if (r.domPart?.startsWith("attributes.")) q.attributes.push(r.domPart.slice(11));
      if (r.domPart?.startsWith("properties.")) q.properties.push(r.domPart.slice(11));
    }
  }
  return [...bySelector.values()];
}
