import type { HiringSource } from "./schema.ts";
import { errorMessage } from "../errors.ts";
import { CookieJar } from "../integrations/web/cookie-jar.ts";
import { WebFetchError } from "../integrations/web/fetch-error.ts";
import type { FetchedPage } from "../integrations/web/http-fetch.ts";
import { blockedReason } from "../web/blocked.ts";
import type { WebDeps } from "../web/deps.ts";
import { visibleText } from "../web/html.ts";
import { careersCandidates, isAtsHost } from "./careers-links.ts";
import { parseCareersPage, type CareersPage, type Position } from "./parse-positions.ts";

/** What one look at a site's careers page found. */
export interface CareersRead {
  /**
   * False when a page could not be read (timeout, network error, blocked): the check says
   * nothing about the positions, so it is not recorded.
   */
  complete: boolean;
  /** The page the positions were read from; null when the site has no careers page we could find. */
  careersUrl: string | null;
  source: HiringSource | null;
  positions: Position[];
  /** Requests made. */
  fetched: number;
  notes: string[];
}

export interface ReadCareersOptions {
  /** The start page as the analysis read it in the end, and its links. */
  startUrl: string;
  links: ReadonlyArray<{ href: string; text: string }>;
  /** At most this many requests. */
  maxPages: number;
  now: number;
  signal?: AbortSignal | undefined;
}

type Outcome = { page: FetchedPage } | { problem: "gone" | "transient" | "blocked"; note: string };

/**
 * Finds and reads a site's careers page over plain HTTP with the analyser's fetcher (its
 * politeness gate, address guard, size cap and timeouts): the start page's careers links,
 * then the usual paths; a careers page that lists no positions itself is followed once to
 * where it says they are (an ATS career site). Never throws for site problems; throws when
 * `signal` is aborted.
 */
export async function readCareers(deps: WebDeps, o: ReadCareersOptions): Promise<CareersRead> {
  const jar = new CookieJar();
  const notes: string[] = [];
  let fetched = 0;
  let complete = true;
  const get = async (url: string): Promise<Outcome> => {
    fetched++;
    let page: FetchedPage;
    try {
      page = await deps.gate.run(new URL(url).host, () => deps.httpGet(url, jar, o.signal), o.signal);
    } catch (e) {
      if (o.signal?.aborted) throw o.signal.reason;
      const kind = e instanceof WebFetchError ? e.kind : "network";
      const transient = kind === "timeout" || kind === "network" || kind === "tls";
      return { problem: transient ? "transient" : "gone", note: errorMessage(e) };
    }
    const blocked = blockedReason(page.status, page.headers, page.body, page.status >= 400 ? 0 : visibleText(page.body).length, o.now);
    if (blocked) return { problem: "blocked", note: `${url}: blocked: ${blocked.reason}` };
    if (page.status >= 500) return { problem: "transient", note: `${url}: HTTP ${page.status}` };
    if (page.status >= 400 || !/html|xml/i.test(page.contentType || "text/html")) return { problem: "gone", note: "" };
    return { page };
  };
  const found = (url: string, p: CareersPage): CareersRead => ({
    complete: true,
    careersUrl: url,
    source: p.source,
    positions: p.positions,
    fetched,
    notes,
  });

  for (const c of careersCandidates(o.startUrl, o.links)) {
    if (fetched >= o.maxPages) break;
    const r = await get(c.url);
    if ("problem" in r) {
      if (r.problem !== "gone") {
        complete = false;
        notes.push(r.note);
      }
      if (r.problem === "blocked") break; // the site does not want us: no more requests now
      continue;
    }
    if (wentHome(c.url, r.page.finalUrl)) continue;
    const parsed = parseCareersPage(r.page.body, r.page.finalUrl, o.now);
    if (!c.linked && !parsed.looksLikeCareers) continue; // a catch-all page, not a careers page
    if (parsed.positions.length === 0) {
      const onward = parsed.onward[0];
      if (onward && fetched < o.maxPages) {
        const next = await get(onward);
        if ("page" in next) {
          const there = parseCareersPage(next.page.body, next.page.finalUrl, o.now);
          if (there.positions.length > 0 || there.looksLikeCareers) return found(next.page.finalUrl, there);
        } else if (next.problem !== "gone") {
          notes.push(next.note);
          // The career site the positions are on could not be read: nothing to say this time.
          if (isAtsHost(new URL(onward).hostname))
            return { complete: false, careersUrl: null, source: null, positions: [], fetched, notes };
        }
      }
    }
    return found(r.page.finalUrl, parsed);
  }
  return { complete, careersUrl: null, source: null, positions: [], fetched, notes };
}

/** A careers address that redirected to the start page: the site has no such page. */
function wentHome(asked: string, final: string): boolean {
  const a = new URL(asked);
  const f = new URL(final);
  return a.pathname.replace(/\/+$/, "") !== "" && f.pathname.replace(/\/+$/, "") === "" && !isAtsHost(f.hostname);
}
