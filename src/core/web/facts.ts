import type { BrowserExtras, DomFact } from "../integrations/web/browser-extras.ts";
import { deliveryStripNames } from "./delivery-strip.ts";
import { decodeEntities, inlineStyles, pageTitle, scanScripts, scanTags, visibleText } from "./html.ts";

/** Everything the fingerprints are matched against, extracted once per page. */
export interface PageFacts {
  url: string;
  title: string;
  html: string;
  /** Visible text. */
  text: string;
  /** Inline script contents, joined. */
  scripts: string;
  /** Inline style contents, joined. */
  css: string;
  /** Script and iframe sources, absolute. */
  scriptSrc: string[];
  xhr: string[];
  /** Image sources (path without query), alt and title texts, svg sprite references, the icon names of delivery strips. */
  images: string[];
  links: Array<{ href: string; text: string }>;
  meta: Map<string, string[]>;
  headers: Map<string, string[]>;
  cookies: Map<string, string[]>;
  js: Map<string, string[]>;
  dom: Map<string, DomFact>;
  /** True when a browser rendered the page (js and dom rules were evaluated). */
  rendered: boolean;
}

export interface FactsInput {
  url: string;
  html: string;
  headers?: Iterable<[string, string]>;
  cookies?: Iterable<[string, string]>;
  browser?: BrowserExtras | undefined;
}

export function extractFacts(input: FactsInput): PageFacts {
  const { html, url } = input;
  const scripts = scanScripts(html);
  const tags = scanTags(html);
  const scriptSrc = new Set<string>();
  for (const s of scripts) if (s.src) scriptSrc.add(absolute(s.src, url));
  const meta = new Map<string, string[]>();
  const images: string[] = [];
  for (const t of tags) {
    const a = t.attrs;
    switch (t.name) {
      case "meta": {
        const name = a.get("name") ?? a.get("property") ?? a.get("http-equiv") ?? a.get("itemprop");
        const content = a.get("content");
        if (name && content !== undefined) push(meta, name.toLowerCase(), content);
        break;
      }
      case "iframe":
        if (a.get("src")) scriptSrc.add(absolute(a.get("src") as string, url));
        break;
      case "img":
      case "source": {
        for (const attr of ["src", "data-src", "data-lazy-src", "srcset", "data-srcset"]) {
          const v = a.get(attr);
          if (v) images.push(imagePath(v.trim().split(/\s+/)[0] ?? "", url));
        }
        for (const attr of ["alt", "title", "aria-label"]) if (a.get(attr)) images.push(a.get(attr) as string);
        break;
      }
      case "use": {
        const href = a.get("href") ?? a.get("xlink:href");
        if (href) images.push(href);
        break;
      }
    }
  }
  images.push(...deliveryStripNames(html));
  const headers = new Map<string, string[]>();
  for (const [k, v] of input.headers ?? []) push(headers, k.toLowerCase(), v);
  const cookies = new Map<string, string[]>();
  for (const [k, v] of input.cookies ?? []) push(cookies, k.toLowerCase(), v);
  const js = new Map<string, string[]>();
  const b = input.browser;
  if (b) {
    for (const [k, v] of b.js) js.set(k, [v]);
    for (const u of b.scriptUrls) scriptSrc.add(u);
  }
  return {
    url,
    title: pageTitle(html),
    html,
    text: visibleText(html),
    scripts: scripts
      .filter((s) => !s.src)
      .map((s) => s.content)
      .join("\n"),
    css: inlineStyles(html),
    scriptSrc: [...scriptSrc],
    xhr: b?.xhrUrls ?? [],
    images,
    links: scanLinks(html, url),
    meta,
    headers,
    cookies,
    js,
    dom: b?.dom ?? new Map(),
    rendered: b !== undefined,
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Resolves a reference; the common absolute and root-relative forms skip the (slow) URL parser. */
function absolute(ref: string, base: string): string {
  if (/^https?:\/\/[^\s/]+\/\S*$/i.test(ref)) return ref;
  if (ref.startsWith("//")) return `${base.slice(0, base.indexOf(":") + 1)}${ref}`;
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function imagePath(ref: string, base: string): string {
  if (ref.startsWith("data:")) return "";
  const abs = absolute(ref, base);
  const q = abs.search(/[?#]/);
  try {
    return decodeURIComponent(q < 0 ? abs : abs.slice(0, q));
  } catch {
    return q < 0 ? abs : abs.slice(0, q);
  }
}

const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]{0,400}?)<\/a\s*>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** Links with their texts (for finding cart, checkout and shipping-terms pages). */
function scanLinks(html: string, base: string): Array<{ href: string; text: string }> {
  const out: Array<{ href: string; text: string }> = [];
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(html); m; m = ANCHOR.exec(html)) {
    const h = HREF.exec(m[1] as string);
    if (!h) continue;
    const raw = decodeEntities(h[1] ?? h[2] ?? h[3] ?? "");
    if (!raw || raw.startsWith("#") || /^(?:javascript|mailto|tel):/i.test(raw)) continue;
    const text = decodeEntities((m[2] as string).replace(/<[^>]*>/g, " "))
      .replace(/\s+/g, " ")
      .trim();
    out.push({ href: absolute(raw, base), text });
  }
  return out;
}
