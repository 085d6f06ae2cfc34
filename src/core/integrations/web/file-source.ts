import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { decode } from "./http-fetch.ts";
import { WebFetchError } from "./fetch-error.ts";

export interface LocalPage {
  url: string;
  html: string;
  bytes: number;
  truncated: boolean;
}

/**
 * Pages of a saved site: a `file://` URL of one HTML file, or of a directory (its
 * index.html, or the first .html file, is the start page; the other .html files are the
 * site's further pages, e.g. a saved checkout or shipping-terms page).
 */
export function readLocalSite(url: string, maxBytes: number): { start: LocalPage; others: LocalPage[] } {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    throw new WebFetchError("bad-url", `not a valid file URL: ${url}`);
  }
  if (!existsSync(path)) throw new WebFetchError("network", `no such file or directory: ${path}`);
  if (!statSync(path).isDirectory()) return { start: readPage(path, maxBytes), others: [] };
  const files = readdirSync(path)
    .filter((f) => /\.html?$/i.test(f))
    .sort();
  const startName = files.find((f) => /^index\.html?$/i.test(f)) ?? files[0];
  if (!startName) throw new WebFetchError("network", `no .html file in ${path}`);
  return {
    start: readPage(join(path, startName), maxBytes),
    others: files.filter((f) => f !== startName).map((f) => readPage(join(path, f), maxBytes)),
  };
}

function readPage(file: string, maxBytes: number): LocalPage {
  const buf = readFileSync(file);
  const truncated = buf.length > maxBytes;
  const body = truncated ? buf.subarray(0, maxBytes) : buf;
  return { url: pathToFileURL(file).href, html: decode(body, ""), bytes: body.length, truncated };
}
