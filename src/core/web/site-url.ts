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
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`not a web address: "${raw}" (only http, https and file URLs)`);
  if (!u.hostname.includes(".") && u.hostname !== "localhost" && !u.hostname.startsWith("[")) throw new UsageError(`not a web address: "${raw}"`);
  return u.href;
}

/** The history key of a site: its host (without www.) and port, or the file path. */
export function siteKey(url: string): string {
  const u = new URL(url);
  if (u.protocol === "file:") return `file:${decodeURIComponent(u.pathname)}`;
  return u.host.toLowerCase().replace(/^www\./, "");
}
