// A small, fast HTML scanner: enough to pull the facts the fingerprints need (script sources,
// inline scripts, meta tags, images, links, visible text) without a DOM. Regex-based on purpose:
// one pass per construct over a 200 KB page takes well under a millisecond. Comments are skipped
// (each pattern matches a comment first and drops it); character references are decoded by
// `entities`, the decoder htmlparser2 uses.
import { decodeHTML, decodeHTMLAttribute } from "entities";

const COMMENT = "<!--[\\s\\S]*?(?:-->|$)|";

/** Text with its character references decoded (every HTML5 name, `&#228` without its `;`); `&nbsp;` becomes a plain space. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return decodeHTML(text.replace(/&nbsp;/g, " "));
}

/** An attribute value decoded as the browser does (`?a=1&copy=2` keeps its `&copy`). */
function decodeAttribute(text: string): string {
  if (!text.includes("&")) return text;
  return decodeHTMLAttribute(text.replace(/&nbsp;/g, " "));
}

const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function parseAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(text); m; m = ATTR.exec(text)) {
    const name = (m[1] as string).toLowerCase();
    if (!out.has(name)) out.set(name, decodeAttribute(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return out;
}

export interface Tag {
  name: string;
  attrs: Map<string, string>;
}

const TAG = new RegExp(`${COMMENT}<(meta|img|link|a|iframe|source|use)\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, "gi");

/** The opening tags of the elements the facts need, with their attributes. */
export function scanTags(html: string): Tag[] {
  const tags: Tag[] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (m[1] === undefined) continue;
    const name = m[1].toLowerCase();
    tags.push({ name, attrs: parseAttributes(m[2] as string) });
  }
  return tags;
}

export interface ScriptElement {
  src: string | null;
  type: string | null;
  content: string;
}

const SCRIPT = new RegExp(`${COMMENT}<script\\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\\s\\S]*?)<\\/script\\s*>`, "gi");

export function scanScripts(html: string): ScriptElement[] {
  const out: ScriptElement[] = [];
  SCRIPT.lastIndex = 0;
  for (let m = SCRIPT.exec(html); m; m = SCRIPT.exec(html)) {
    if (m[1] === undefined) continue;
    const attrs = parseAttributes(m[1]);
    out.push({ src: attrs.get("src") ?? null, type: attrs.get("type") ?? null, content: m[2] as string });
  }
  return out;
}

const STYLE = new RegExp(`${COMMENT}<style\\b[^>]*>([\\s\\S]*?)<\\/style\\s*>`, "gi");

export function inlineStyles(html: string): string {
  const parts: string[] = [];
  STYLE.lastIndex = 0;
  for (let m = STYLE.exec(html); m; m = STYLE.exec(html)) if (m[1] !== undefined) parts.push(m[1]);
  return parts.join("\n");
}

const INVISIBLE = /<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;

/** The page's visible text, whitespace collapsed (an approximation of `innerText`). */
export function visibleText(html: string): string {
  const stripped = html.replace(INVISIBLE, " ").replace(/<[^>]*>/g, " ");
  return decodeEntities(stripped).replace(/\s+/g, " ").trim();
}

/** The document title, decoded. */
export function pageTitle(html: string): string {
  const m = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  return m
    ? decodeEntities(m[1] as string)
        .replace(/\s+/g, " ")
        .trim()
    : "";
}
