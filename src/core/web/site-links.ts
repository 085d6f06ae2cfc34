import type { PageFacts } from "./facts.ts";

export type PageKind = "start" | "checkout" | "terms";

export interface CandidatePage {
  url: string;
  kind: Exclude<PageKind, "start">;
  /** Found as a link on the site (true) or guessed from the usual paths. */
  linked: boolean;
}

const CHECKOUT_PATHS = ["/kassa", "/checkout", "/cart", "/varukorg"];
const TERMS_PATHS = ["/frakt", "/leverans", "/shipping", "/kopvillkor"];
const CHECKOUT_WORDS =
  /(?:^|[/_-])(?:kassa|checkout|cart|varukorg|basket|kundvagn)|^(?:kassa|till kassan|checkout|varukorg|kundvagn|cart|basket)$/i;
const TERMS_WORDS =
  /(?:^|[/_-])(?:frakt|leverans|shipping|delivery|k(?:ö|o|%C3%B6)pvillkor|villkor|terms|allmanna-villkor)|\b(?:frakt|leverans|köpvillkor|villkor|shipping|delivery|terms)/i;

/**
 * The pages to visit after the start page for checkout analyses: the site's own links to its
 * cart, checkout and shipping terms first, then the usual paths. Checkout pages first.
 */
export function candidatePages(start: PageFacts, limit: number): CandidatePage[] {
  const base = new URL(start.url);
  const sameSite = (u: URL) => u.host.replace(/^www\./, "") === base.host.replace(/^www\./, "") && u.protocol === base.protocol;
  const seen = new Set<string>([key(base)]);
  const linked: CandidatePage[] = [];
  for (const link of start.links) {
    let u: URL;
    try {
      u = new URL(link.href);
    } catch {
      continue;
    }
    if (!sameSite(u) || seen.has(key(u))) continue;
    const path = decodeURIComponentSafe(u.pathname);
    const kind =
      CHECKOUT_WORDS.test(path) || CHECKOUT_WORDS.test(link.text.trim())
        ? "checkout"
        : TERMS_WORDS.test(path) || TERMS_WORDS.test(link.text)
          ? "terms"
          : null;
    if (!kind) continue;
    seen.add(key(u));
    u.hash = "";
    linked.push({ url: u.href, kind, linked: true });
  }
  const guessed: CandidatePage[] = [];
  if (base.protocol === "http:" || base.protocol === "https:") {
    for (const [paths, kind] of [
      [CHECKOUT_PATHS, "checkout"],
      [TERMS_PATHS, "terms"],
    ] as const) {
      if (linked.some((c) => c.kind === kind)) continue; // the site's own links beat guesses
      for (const p of paths) {
        const u = new URL(p, base);
        if (seen.has(key(u))) continue;
        seen.add(key(u));
        guessed.push({ url: u.href, kind, linked: false });
      }
    }
  }
  // Linked checkout, linked terms, then guesses (checkout first), within the limit.
  const order = (c: CandidatePage) => (c.linked ? 0 : 2) + (c.kind === "checkout" ? 0 : 1);
  return [...linked, ...guessed].sort((a, b) => order(a) - order(b)).slice(0, limit);
}

const key = (u: URL) => `${u.host.replace(/^www\./, "")}${u.pathname.replace(/\/+$/, "") || "/"}`;

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
