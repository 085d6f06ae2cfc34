import { foldText } from "./keyword-match.ts";

/** Where a site's careers page may be. */
export interface CareersCandidate {
  url: string;
  /** Linked from the start page (true) or one of the usual paths (false). */
  linked: boolean;
}

/** The usual careers paths, tried when the start page links to none. */
export const CAREERS_PATHS = ["/jobb", "/lediga-jobb", "/karriar", "/karriär", "/jobba-hos-oss", "/careers", "/jobs"];

/** Hosts of applicant tracking systems whose career sites list a company's positions. */
const ATS_HOSTS =
  /(?:^|\.)(?:teamtailor\.com|varbi\.com|jobylon\.com|recruitee\.com|lever\.co|greenhouse\.io|workable\.com|reachmee\.com|emply\.com|webcruiter\.com)$/i;

/** Social networks: their job pages need a login or block robots; a company's own pages say more. */
const SOCIAL_HOSTS = /(?:^|\.)(?:linkedin\.com|facebook\.com|instagram\.com|twitter\.com|x\.com|youtube\.com|tiktok\.com)$/i;

const CAREERS_PATH =
  /(?:^|\/)(?:jobb|jobs?|lediga-?(?:jobb|tjanster)|karriar|careers?|jobba-(?:hos|med)-oss|arbeta-(?:hos|med)-oss|work-(?:with|for)-us|join-us|rekrytering|vacancies|open-positions)(?=$|[/.?#_-])/;
const CAREERS_TEXT =
  /(?:^|[^a-z])(?:lediga (?:jobb|tjanster)|jobb|jobs|karriar|careers?|jobba (?:hos|med) oss|arbeta (?:hos|med) oss|work (?:with|for|at) us|join (?:us|our team)|rekrytering|vacancies|open positions|vi soker|vi rekryterar)(?=$|[^a-z])/;

/** True when the host is an applicant tracking system's (a Teamtailor career site, Varbi, Jobylon, ...). */
export const isAtsHost = (host: string): boolean => ATS_HOSTS.test(host.replace(/:\d+$/, ""));

const bare = (host: string) => host.toLowerCase().replace(/^www\./, "");

/** The same site: equal hosts without www., or one a subdomain of the other (jobb.bolaget.se). */
export function sameSite(a: URL, b: URL): boolean {
  const x = bare(a.host);
  const y = bare(b.host);
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** The decoded, folded path of a URL: "/Karri%C3%A4r/" → "/karriar/". */
export function foldedPath(u: URL): string {
  return foldText(decodedPath(u));
}

/** A link whose text or address says careers: "Lediga jobb", "Karriär", "/jobba-hos-oss", an ATS career site. */
export function isCareersLink(u: URL, text: string): boolean {
  if (SOCIAL_HOSTS.test(u.hostname)) return false;
  return isAtsHost(u.hostname) || CAREERS_PATH.test(foldedPath(u)) || CAREERS_TEXT.test(foldText(text).replace(/\s+/g, " ").trim());
}

/**
 * Where to look for a site's careers page: the start page's own careers links first (same
 * site, shallowest first; then ATS career sites; then other sites the link text calls
 * careers), at most three, then the usual paths.
 */
export function careersCandidates(startUrl: string, links: ReadonlyArray<{ href: string; text: string }>): CareersCandidate[] {
  const base = new URL(startUrl);
  const seen = new Set<string>([key(base)]);
  const linked: Array<{ url: URL; rank: number }> = [];
  for (const link of links) {
    let u: URL;
    try {
      u = new URL(link.href);
    } catch {
      continue;
    }
    if ((u.protocol !== "http:" && u.protocol !== "https:") || seen.has(key(u)) || !isCareersLink(u, link.text)) continue;
    seen.add(key(u));
    u.hash = "";
    const depth = u.pathname.split("/").filter(Boolean).length;
    const rank = sameSite(u, base) ? depth : isAtsHost(u.hostname) ? 100 : 200;
    linked.push({ url: u, rank });
  }
  const out: CareersCandidate[] = linked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, 3)
    .map((l) => ({ url: l.url.href, linked: true }));
  if (base.protocol === "http:" || base.protocol === "https:") {
    for (const path of CAREERS_PATHS) {
      const u = new URL(path, base);
      if (seen.has(key(u))) continue;
      seen.add(key(u));
      out.push({ url: u.href, linked: false });
    }
  }
  return out;
}

/** Identity of a page: /karriär and /karri%C3%A4r are one, /karriar another. */
const key = (u: URL) => `${bare(u.host)}${decodedPath(u).toLowerCase().replace(/\/+$/, "") || "/"}${u.search}`;

function decodedPath(u: URL): string {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return u.pathname;
  }
}
