import type { z } from "zod";
import { enrichCompany, type EnrichResult } from "./enrich.ts";
import { forEachOrgnr, orgnrsPayload } from "./hvd-job.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = orgnrsPayload;
export type CompanyEnrichPayload = z.infer<typeof payload>;

/** One result per organisationsnummer (duplicates asked once), in the order given. */
export interface CompanyEnrichResult {
  results: EnrichResult[];
}

/** Updates companies from Bolagsverket's API (register data, SNI, reklamspärr, status). */
export const companyEnrichJob: JobDefinition<CompanyEnrichPayload, CompanyEnrichResult> = {
  type: "company.enrich",
  summary: "update companies from Bolagsverket's värdefulla-datamängder API (credentials from the environment)",
  timeoutMs: 60 * 60_000,
  payload,
  async run(ctx) {
    const results = await forEachOrgnr(ctx, "enriched", (client, o) =>
      enrichCompany(ctx.db, client, o, { now: ctx.now(), signal: ctx.signal }),
    );
    const count = (k: EnrichResult["outcome"]) => results.filter((r) => r.outcome === k).length;
    const metrics = {
      enriched: count("created") + count("updated") + count("unchanged"),
      created: count("created"),
      not_found: count("not_found"),
      partial: count("partial"),
      failed: count("failed"),
    };
    ctx.addMetrics(metrics);
    return { result: { results } };
  },
};
