import pkg from "../../../package.json" with { type: "json" };
import type { Config } from "../config.ts";
import type { Clock } from "../types.ts";
import type { BrowserHandle } from "../integrations/web/browser.ts";
import { CookieJar } from "../integrations/web/cookie-jar.ts";
import { sharedHostGate, type HostGate } from "../integrations/web/host-gate.ts";
import { httpGet, type FetchedPage } from "../integrations/web/http-fetch.ts";
import { RobotsCache } from "../integrations/web/robots.ts";
import { parseBrowserMode, type BrowserMode } from "./analysis-types.ts";
import type { FingerprintSet } from "./fingerprints/compile.ts";
import { loadFingerprints } from "./fingerprints/load.ts";

/** What `analyseSite` needs from the outside world; `createWebDeps` builds it from the settings. */
export interface WebDeps {
  fingerprints: FingerprintSet;
  browserMode: BrowserMode;
  /** Pages per site, the start page included. */
  maxPages: number;
  timeoutMs: number;
  maxBytes: number;
  allowPrivate: boolean;
  /** host[:port] values allowed although private (intranets, tests). */
  allowHosts: ReadonlySet<string>;
  userAgent: string;
  /** Detections below this confidence are not reported. */
  minConfidence: number;
  gate: HostGate;
  httpGet(url: string, jar: CookieJar, signal?: AbortSignal): Promise<FetchedPage>;
  /** robots.txt, read once per host for this run; null when the operator turned it off (--ignore-robots). */
  robots: RobotsCache | null;
  /** The process's browser, launched on first use; UnavailableError (exit 69) when Chromium is missing. */
  browser(): Promise<BrowserHandle>;
  clock: Clock;
  /** Releases the browser (if it was started). */
  close(): Promise<void>;
}

export interface WebOverrides {
  browserMode?: BrowserMode | undefined;
  allowPrivate?: boolean | undefined;
  allowHosts?: readonly string[] | undefined;
  fingerprintDirs?: readonly string[] | undefined;
  minConfidence?: number | undefined;
  /** Do not read or honour robots.txt (the operator's choice for one run). */
  ignoreRobots?: boolean | undefined;
}

export const defaultUserAgent = (): string => `leadjobs/${pkg.version} (website technology analysis; B2B lead research)`;

export function createWebDeps(config: Config, clock: Clock, o: WebOverrides = {}): WebDeps {
  const userAgent = config.webUserAgent ?? defaultUserAgent();
  const dirs = o.fingerprintDirs ?? (config.webFingerprints ? [config.webFingerprints] : []);
  let handle: Promise<BrowserHandle> | undefined;
  const deps: WebDeps = {
    fingerprints: loadFingerprints(dirs),
    browserMode: o.browserMode ?? parseBrowserMode(config.webBrowser, "webBrowser setting"),
    maxPages: config.webMaxPages,
    timeoutMs: config.webTimeout,
    maxBytes: config.webMaxBytes,
    allowPrivate: o.allowPrivate ?? config.webAllowPrivate,
    allowHosts: new Set([...(o.allowHosts ?? []), ...splitList(config.webAllowHosts)].map((h) => h.toLowerCase())),
    userAgent,
    minConfidence: o.minConfidence ?? 50,
    gate: sharedHostGate(config.webDelay),
    httpGet: (url, jar, signal) =>
      httpGet(url, {
        timeoutMs: deps.timeoutMs,
        maxBytes: deps.maxBytes,
        userAgent,
        allowPrivate: deps.allowPrivate,
        allowHosts: deps.allowHosts,
        cookies: jar,
        signal,
      }),
    robots: o.ignoreRobots
      ? null
      : new RobotsCache((url) => deps.gate.run(new URL(url).host, () => deps.httpGet(url, new CookieJar())), userAgent),
    browser: () => {
      handle ??= import("../integrations/web/browser.ts").then((b) =>
        b.acquireBrowser({ executablePath: config.chromiumPath, maxPages: Math.min(config.webBrowserPages, config.webConcurrency) }),
      );
      handle.catch(() => (handle = undefined));
      return handle;
    },
    clock,
    close: async () => {
      const h = handle;
      handle = undefined;
      if (h) await (await h.catch(() => undefined))?.release();
    },
  };
  return deps;
}

const splitList = (v: string | undefined): string[] =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
