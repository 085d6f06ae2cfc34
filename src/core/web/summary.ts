import type { Db } from "../db/handle.ts";
import { byDialect } from "../db/dialect.ts";
import * as postgres from "./summary.postgres.ts";
import * as sqlite from "./summary.sqlite.ts";

/** What a lead analysis needs to know of a company's website, from its latest successful analysis. */
export interface WebSummary {
  platform: string | null;
  /** Payment and checkout solutions, delivery checkouts included. */
  checkout: string[];
  carriers: string[];
  analysedAt: string;
}

/** The latest successful website analysis of each company, summarised; companies without one are absent. */
export async function latestWebSummaries(db: Db, orgnrs: readonly string[]): Promise<Map<string, WebSummary>> {
  const out = new Map<string, WebSummary>();
  if (orgnrs.length === 0) return out;
  for (const r of await byDialect(db, { sqlite, postgres }).latestAnalysisDetections(db, orgnrs)) {
    let s = out.get(r.orgnr);
    if (!s) out.set(r.orgnr, (s = { platform: r.platform, checkout: [], carriers: [], analysedAt: r.analysed_at }));
    if (r.name === null) continue;
    if (r.grp === "payment" || r.grp === "delivery") s.checkout.push(r.name);
    else if (r.grp === "carrier") s.carriers.push(r.name);
  }
  return out;
}
