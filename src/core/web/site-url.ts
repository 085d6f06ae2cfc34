import { homedir } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../errors.ts";

/**
 * A site address as people write it ("shop.se", "www.shop.se/", "http://shop.se") made into
 * a URL: https is assumed when no scheme is given. Throws UsageError for anything else.
 */
export function normaliseSiteUrl(raw: string): string {
  const text = raw.trim();
  if (/^file:/i.test(text)) return new URL(text).href;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new UsageError(`not a web address: "${raw}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new UsageError(`not a web address: "${raw}" (only http, https and file URLs)`);
  if (!u.hostname.includes(".") && u.hostname !== "localhost" && !u.hostname.startsWith("["))
    throw new UsageError(`not a web address: "${raw}"`);
  return u.href;
}

/**
 * A local file or saved-page directory as typed on the command line (`./saved/shop/`,
 * `/srv/pages/shop.html`, `~/saved/shop`) as a file:// URL; null for anything else.
 */
export function localSiteUrl(value: string): string | null {
  if (/^~\//.test(value)) return pathToFileURL(resolve(homedir(), value.slice(2))).href;
  return /^\.{0,2}\//.test(value) ? pathToFileURL(resolve(value)).href : null;
}

/** The history key of a site: its host (without www.) and port, or the file path (without a trailing slash). */
export function siteKey(url: string): string {
  const u = new URL(url);
  if (u.protocol === "file:") return `file:${decodeURIComponent(u.pathname).replace(/(?<=.)\/+$/, "")}`;
  return u.host.toLowerCase().replace(/^www\./, "");
}
