import type { Subject } from "./text-match.ts";

export interface Citation {
  url: string | null;
  domain: string;
  owner: "brand" | "competitor" | "other";
  competitorId: number | null;
}

export interface DomainOwner {
  subject: Subject;
  domains: readonly string[];
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>()"'\]]+/gi;
const BARE_DOMAIN =
  /(?<![@\w./-])(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:se|com|nu|net|org|io|eu|no|dk|fi|de|co\.uk))\b(?![\w-])/gi;

/** URLs and bare domains cited in an answer, each attributed to the brand, a competitor or no one. */
export function citations(text: string, owners: readonly DomainOwner[]): Citation[] {
  const found = new Map<string, Citation>();
  const add = (url: string | null, host: string) => {
    const domain = host
      .toLowerCase()
      .replace(/^www\./, "")
      .replace(/\.$/, "");
    const key = url ?? domain;
    if (found.has(key)) return;
    const owner = owners.find((o) => o.domains.some((d) => sameSite(domain, d)));
    found.set(key, {
      url,
      domain,
      owner: owner ? (owner.subject.competitorId === null ? "brand" : "competitor") : "other",
      competitorId: owner?.subject.competitorId ?? null,
    });
  };
  const withoutUrls = text.replace(URL_PATTERN, (raw) => {
    const url = raw.replace(/[.,;:!?]+$/, "");
    try {
      add(url, new URL(url).hostname);
    } catch {
      // not a URL after all
    }
    return " ";
  });
  for (const m of withoutUrls.matchAll(BARE_DOMAIN)) add(null, m[1] as string);
  return [...found.values()];
}

/** example.se matches example.se and shop.example.se. */
function sameSite(domain: string, owned: string): boolean {
  const o = owned.toLowerCase().replace(/^www\./, "");
  return domain === o || domain.endsWith(`.${o}`);
}
