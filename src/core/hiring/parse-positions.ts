import { findAll, getInnerHTML, getOuterHTML } from "domutils";
import { parseDocument } from "htmlparser2";
import type { HiringSource } from "./schema.ts";
import { decodeEntities, pageTitle, parseAttributes, scanScripts, visibleText } from "../web/html.ts";
import { foldedPath, isAtsHost, isCareersLink, sameSite } from "./careers-links.ts";
import { foldText } from "./keyword-match.ts";

/** An open position as a careers page lists it. */
export interface Position {
  title: string;
  url: string | null;
  location: string | null;
}

export interface CareersPage {
  /** How the positions were read: JSON-LD JobPosting data wins over job links. Null when none were found. */
  source: HiringSource | null;
  positions: Position[];
  /** Other careers pages this one links to (an ATS career site, "see all positions"), for when it lists none itself. */
  onward: string[];
  /** The page says it is about jobs (title, heading, opening text or posting data). */
  looksLikeCareers: boolean;
}

const MAX_TITLE = 150;

/**
 * Reads the open positions of a careers page: schema.org JobPosting data in JSON-LD (also in
 * `@graph` and ItemLists; postings past their `validThrough` are left out), else the links to
 * job postings (Teamtailor, Varbi, Jobylon, Lever, Greenhouse, Recruitee and ReachMee
 * postings, paths such as /jobb/NAME or /lediga-jobb/NAME, and pages below the careers page
 * itself), each titled by its heading, its title element or its text. Links in nav, header
 * and footer are not positions; neither are "Spontanansökan" and "Alla jobb" links.
 */
export function parseCareersPage(html: string, pageUrl: string, now: number): CareersPage {
  const page = new URL(pageUrl);
  const fromJsonLd = jsonLdPostings(html, page, now);
  const fromLinks = fromJsonLd.length > 0 ? [] : linkedPostings(html, page);
  const positions = fromJsonLd.length > 0 ? fromJsonLd : fromLinks;
  return {
    source: fromJsonLd.length > 0 ? "json-ld" : fromLinks.length > 0 ? "links" : null,
    positions,
    onward: positions.length > 0 ? [] : onwardLinks(html, page),
    looksLikeCareers: positions.length > 0 || hasJobPostingType(html) || saysCareers(html),
  };
}

// ---- JSON-LD ----------------------------------------------------------------------------

function jsonLdPostings(html: string, page: URL, now: number): Position[] {
  const out: Position[] = [];
  for (const s of scanScripts(html)) {
    if (!/ld\+json/i.test(s.type ?? "")) continue;
    let data: unknown;
    try {
      data = JSON.parse(
        s.content
          .trim()
          .replace(/^<!--|-->$/g, "")
          .replace(/^\s*\/\/<!\[CDATA\[|\/\/\]\]>\s*$/g, ""),
      );
    } catch {
      continue; // a broken block is skipped, the others still count
    }
    walk(data, (node) => {
      const p = postingOf(node, page, now);
      if (p) out.push(p);
    });
  }
  return dedupe(out);
}

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (n: Node) => void, depth = 0): void {
  if (depth > 8 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit, depth + 1);
    return;
  }
  const node = value as Node;
  if (isType(node, "JobPosting")) visit(node);
  for (const k of ["@graph", "itemListElement", "item", "mainEntity", "hasPart"]) if (k in node) walk(node[k], visit, depth + 1);
}

function isType(node: Node, type: string): boolean {
  const t = node["@type"];
  const is = (v: unknown) => typeof v === "string" && v.replace(/^https?:\/\/schema\.org\//, "") === type;
  return Array.isArray(t) ? t.some(is) : is(t);
}

function postingOf(node: Node, page: URL, now: number): Position | null {
  const title = cleanTitle(str(node.title) ?? str(node.name));
  if (!title) return null;
  if (expired(str(node.validThrough), now)) return null;
  const ref = str(node.url) ?? str(node.sameAs) ?? (/^https?:/i.test(str(node["@id"]) ?? "") ? str(node["@id"]) : undefined);
  return { title, url: ref ? resolve(ref, page) : null, location: locationOf(node) };
}

/** Past its validThrough: an instant, or a date (valid through that whole day). */
function expired(validThrough: string | undefined, now: number): boolean {
  if (!validThrough) return false;
  const at = Date.parse(validThrough);
  if (Number.isNaN(at)) return false;
  return (/^\d{4}-\d{2}-\d{2}$/.test(validThrough) ? at + 86_400_000 : at) <= now;
}

function locationOf(node: Node): string | null {
  const raw = Array.isArray(node.jobLocation) ? node.jobLocation[0] : node.jobLocation;
  if (raw && typeof raw === "object") {
    const address = (raw as Node).address;
    if (typeof address === "string") return clean(address);
    if (address && typeof address === "object") {
      const a = address as Node;
      const place = str(a.addressLocality) ?? str(a.addressRegion);
      if (place) return clean(place);
    }
    const name = str((raw as Node).name);
    if (name) return clean(name);
  }
  return str(node.jobLocationType) === "TELECOMMUTE" ? "remote" : null;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() ? v.trim() : typeof v === "number" ? String(v) : undefined;

function hasJobPostingType(html: string): boolean {
  return /"@type"\s*:\s*(?:\[[^\]]*)?"(?:https?:\/\/schema\.org\/)?JobPosting"/.test(html);
}

// ---- job links ----------------------------------------------------------------------------

/** An anchor in the raw text (onward links only; postings are read from the DOM). */
const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]{0,4000}?)<\/a\s*>/gi;
const CHROME = /<(nav|header|footer)\b[\s\S]*?<\/\1\s*>/gi;
const HEADING = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/i;
const HEADINGS = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;
const TITLE_ELEMENT =
  /<([a-z][a-z0-9]*)\b[^>]*\b(?:class|itemprop|data-testid)=["'][^"']*(?:title|name|heading|rubrik|position)[^"']*["'][^>]*>([\s\S]*?)<\/\1\s*>/i;
const CLASSED_ELEMENT = /<([a-z][a-z0-9]*)\b[^>]*\bclass=["']([^"']*)["'][^>]*>([\s\S]*?)<\/\1\s*>/gi;
/** Class names of a location: "location", "job-list__location", "ort", "city". */
const LOCATION_CLASS = /(?:^|[\s_-])(?:locations?|ort|orter|city|place|plats|office)(?=$|[\s_-])/i;

/** Paths under which every page is a posting: /jobb/lagerarbetare, /lediga-jobb/123, /jobs/42-driver. */
const POSTING_PATH =
  /\/(?:jobb|jobs?|lediga-?jobb|lediga-?tjanster|positions?|vacanc(?:y|ies)|tjanst|tjanster|platsannonser?|annonser?|openings?)\/(.+)$/;
/** Careers sections also hold other pages (benefits, students): their pages count only in a list of jobs. */
const SECTION_PATH = /\/(?:karriar|careers?|rekrytering|jobba-(?:hos|med)-oss|arbeta-(?:hos|med)-oss|work-with-us|join-us)\/(.+)$/;
/** Markup of a job list around a link: class or id names such as job-list, position, vacancy, lediga. */
const JOB_LIST_MARKUP = /\b(?:class|id)=["'][^"']*(?:job|position|vacanc|opening|tjanst|annons|lediga|posting)[^"']*["']/i;
const NOT_A_POSTING =
  /^(?:page|sida|kategori|categories|category|avdelningar?|departments?|locations?|orter?|omraden?|tags?|taggar|search|sok|rss|feed|alla|all|spontan\S*|open-application|apply|ansok)(?:\/|$|\?)/;
const GENERIC_TEXT =
  /^(?:las mer|lasa mer|mer info(?:rmation)?|ansok(?: nu| har)?|sok(?: jobbet| tjansten)?|se (?:annonsen|tjansten|jobbet)|till annonsen|visa(?: annons| jobbet)?|read more|apply(?: now| here)?|view(?: job| position)?|more|details|learn more|\W*)$/;
const NOT_A_TITLE =
  /^(?:(?:se |visa )?(?:alla )?(?:vara )?(?:lediga )?(?:jobb|tjanster|jobs|positions|karriar|careers?)(?: hos oss)?|spontanansokan|spontan ansokan|oppen ansokan|open application|intresseanmalan|skicka (?:en )?spontanansokan|nasta|next|foregaende|previous|\d+|logga in|log in|sign in|jobba hos oss|work with us|join us)$/;

/**
 * Whether a link leads to a job posting: "strong" (an ATS posting, a posting id, a path such
 * as /jobb/NAME), "weak" (a page in a careers section or below the careers page, which may
 * also be "our benefits"), or null.
 */
function postingLink(u: URL, page: URL): "strong" | "weak" | null {
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  if (!sameSite(u, page) && !isAtsHost(u.hostname)) return null;
  const path = foldedPath(u).replace(/\/+$/, "");
  const pagePath = foldedPath(page).replace(/\/+$/, "");
  if (bareHost(u) === bareHost(page) && path === pagePath && u.search === page.search) return null;
  if (/jobid[:=]\w+/i.test(u.pathname + u.search) || /[?&](?:job_?id|rmjobid)=\w+/i.test(u.search)) return "strong";
  if (/(?:^|\.)lever\.co$/.test(u.hostname) && path.split("/").filter(Boolean).length === 2) return "strong";
  if (/(?:^|\.)recruitee\.com$/.test(u.hostname) && /^\/o\/[^/]+$/.test(path)) return "strong";
  const strong = POSTING_PATH.exec(path);
  if (strong && !NOT_A_POSTING.test(strong[1] as string)) return "strong";
  const section = SECTION_PATH.exec(path);
  if (section && !NOT_A_POSTING.test(section[1] as string)) return "weak";
  // A page below the careers page: /om-oss/jobba-hos-oss/lagerarbetare.
  const below = bareHost(u) === bareHost(page) && pagePath.length > 1 && path.startsWith(`${pagePath}/`);
  return below && !NOT_A_POSTING.test(path.slice(pagePath.length + 1)) ? "weak" : null;
}

const bareHost = (u: URL) => u.host.toLowerCase().replace(/^www\./, "");

type Element = ReturnType<typeof findAll>[number];
type DomNode = Element["children"][number];

/** Elements whose content is not the page's text. */
const NOT_CONTENT = new Set(["script", "style", "template", "noscript"]);
/** A header or footer inside one of these belongs to it (a job card's header), not to the page. */
const SECTIONING = new Set(["article", "aside", "main", "section"]);

/** Page chrome: any nav, and the page's own header and footer (not those of an article or section). */
function isChrome(el: Element): boolean {
  if (el.name === "nav") return true;
  if (el.name !== "header" && el.name !== "footer") return false;
  for (let p = el.parent; p && "name" in p; p = p.parent) if (SECTIONING.has(p.name)) return false;
  return true;
}

const isElement = (n: DomNode): n is Element => "name" in n && "attribs" in n;

/** The links of the page's DOM (htmlparser2) that lead to postings, in page order; chrome and scripts are skipped. */
function linkedPostings(html: string, page: URL): Position[] {
  const out: Position[] = [];
  let headingsBefore: string[] = [];
  const visit = (nodes: DomNode[]) => {
    for (const n of nodes) {
      if (!isElement(n) || NOT_CONTENT.has(n.name) || isChrome(n)) continue;
      if (n.name === "a") {
        const p = linkedPosting(n, page, headingsBefore.join(" "));
        if (p) out.push(p);
        headingsBefore = [];
      } else if (/^h[1-6]$/.test(n.name) && !findAll((e) => e.name === "a", n.children).length) headingsBefore.push(getOuterHTML(n));
      else visit(n.children);
    }
  };
  visit(parseDocument(html).children);
  return dedupe(out);
}

function linkedPosting(a: Element, page: URL, before: string): Position | null {
  const attrs = new Map(Object.entries(a.attribs));
  const href = attrs.get("href");
  if (!href || href.startsWith("#") || /^(?:javascript|mailto|tel):/i.test(href)) return null;
  let u: URL;
  try {
    u = new URL(href, page);
  } catch {
    return null;
  }
  const kind = postingLink(u, page);
  if (!kind) return null;
  const inner = getInnerHTML(a);
  if (kind === "weak" && !JOB_LIST_MARKUP.test(`${markupAround(a)}${inner}`)) return null;
  const title = titleOf(inner, attrs, before);
  return title ? { title, url: withoutTracking(u), location: locationIn(inner) } : null;
}

/** The class and id names of an element and the few elements around it: is it in a job list? */
function markupAround(el: Element): string {
  const parts: string[] = [];
  let e: Element | null = el;
  for (let depth = 0; e && depth < 6; depth++) {
    for (const k of ["class", "id"]) if (e.attribs[k]) parts.push(`${k}="${e.attribs[k]}"`);
    e = e.parent && isElement(e.parent as DomNode) ? (e.parent as Element) : null;
  }
  return parts.join(" ");
}

/** The heading inside the link, else an element named like a title, else its first text; "Läs mer" links take the heading before them. */
function titleOf(inner: string, attrs: Map<string, string>, before: string): string | null {
  const candidates = [
    HEADING.exec(inner)?.[2],
    TITLE_ELEMENT.exec(inner)?.[2],
    firstText(inner),
    attrs.get("title"),
    attrs.get("aria-label"),
  ];
  for (const c of candidates) {
    const t = cleanTitle(c);
    if (t && !GENERIC_TEXT.test(foldText(t))) return t;
  }
  if (!GENERIC_TEXT.test(foldText(clean(inner.replace(/<[^>]*>/g, " "))))) return null;
  const headings = [...before.matchAll(HEADINGS)];
  return cleanTitle(headings[headings.length - 1]?.[2]);
}

function firstText(inner: string): string | undefined {
  return inner
    .split(/<[^>]*>/)
    .map((t) => clean(t))
    .find((t) => t.length >= 3 && /\p{L}{2}/u.test(t));
}

function locationIn(inner: string): string | null {
  for (const m of inner.matchAll(CLASSED_ELEMENT)) {
    if (!LOCATION_CLASS.test(m[2] as string)) continue;
    const t = clean((m[3] as string).replace(/<[^>]*>/g, " "));
    if (t) return t.slice(0, 80);
  }
  return null;
}

/** Links onward to where the positions are, when this page lists none: ATS sites first. */
function onwardLinks(html: string, page: URL): string[] {
  const body = html.replace(/<(script|style|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, " ");
  const found: Array<{ url: string; ats: boolean }> = [];
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(body); m; m = ANCHOR.exec(body)) {
    const href = parseAttributes(m[1] as string).get("href");
    if (!href || href.startsWith("#")) continue;
    let u: URL;
    try {
      u = new URL(href, page);
    } catch {
      continue;
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") continue;
    u.hash = "";
    if (u.href === page.href || found.some((f) => f.url === u.href)) continue;
    const text = clean((m[2] as string).replace(/<[^>]*>/g, " "));
    const ats = isAtsHost(u.hostname);
    // Same-site links only when they lead deeper ("see all positions"), not back up the menu.
    const deeper = sameSite(u, page) && foldedPath(u).startsWith(foldedPath(page).replace(/\/?$/, "/"));
    if (ats || ((deeper || !sameSite(u, page)) && isCareersLink(u, text))) found.push({ url: u.href, ats });
  }
  return found.sort((a, b) => Number(b.ats) - Number(a.ats)).map((f) => f.url);
}

// ---- shared ----------------------------------------------------------------------------

const CAREERS_WORDS =
  /(?:^|[^a-z])(?:jobb|jobs?|karriar|careers?|lediga tjanster|rekryter\w*|vacanc\w*|open positions|tjanster|jobba hos oss|arbeta hos oss)(?=$|[^a-z])/;

function saysCareers(html: string): boolean {
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(html)?.[1] ?? "";
  const text = `${pageTitle(html)} ${h1.replace(/<[^>]*>/g, " ")} ${visibleText(html.replace(CHROME, " ")).slice(0, 1500)}`;
  return CAREERS_WORDS.test(foldText(decodeEntities(text)));
}

const clean = (t: string) => decodeEntities(t).replace(/\s+/g, " ").trim();

function cleanTitle(raw: string | undefined): string | null {
  if (!raw) return null;
  const t = clean(raw.replace(/<[^>]*>/g, " ")).replace(/^[\s\-–—•·|:]+|[\s\-–—•·|:]+$/g, "");
  if (t.length < 2 || !/\p{L}/u.test(t) || NOT_A_TITLE.test(foldText(t))) return null;
  return t.length > MAX_TITLE ? `${t.slice(0, MAX_TITLE - 1)}…` : t;
}

function resolve(ref: string, page: URL): string | null {
  try {
    const u = new URL(ref, page);
    return u.protocol === "http:" || u.protocol === "https:" ? withoutTracking(u) : null;
  } catch {
    return null;
  }
}

/** A posting's address without its fragment and campaign parameters, so the same posting keeps its identity. */
function withoutTracking(u: URL): string {
  const clean = new URL(u.href);
  clean.hash = "";
  for (const k of [...clean.searchParams.keys()]) if (/^(?:utm_\w+|fbclid|gclid|ref|source)$/i.test(k)) clean.searchParams.delete(k);
  return clean.href;
}

/** One position per posting URL (else per title), in page order. */
function dedupe(list: Position[]): Position[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = positionKey(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The identity of a position across checks: its URL, else its folded title. */
export function positionKey(p: Pick<Position, "title" | "url">): string {
  return p.url ?? `title:${foldText(p.title).replace(/\s+/g, " ")}`;
}
